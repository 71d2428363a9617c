/*
 * c-threshold — a Nightshift strategy written in plain C against nightshift_plugin.h, with no Swift at all.
 *
 * It watches quotes for one symbol and submits a market buy when the ask drops below a price. It buys once per
 * crossing: after a buy it waits until the ask is back at or above the price before it may buy again.
 *
 * Configuration (read through host->config_get):
 *   symbol    string, required   the instrument to watch, e.g. "AAPL"
 *   below     number, required   buy when the ask is strictly below this price
 *   quantity  number, default 1  quantity per order
 *
 * Build with the system C compiler (from the repository root):
 *   cc -shared -fPIC -O2 -Wall -Wextra -I Sources/NightshiftABI/include plugins/c-threshold/threshold.c \
 *      -o libc-threshold.so
 * or `make -C plugins/c-threshold`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nightshift_plugin.h"

/* MARK: - Helpers */

/** Whether the host's table is long enough to hold `field` and sets it. */
#define HAS_SERVICE(host, field) \
    (offsetof(ns_host, field) + sizeof((host)->field) <= (host)->size && (host)->field != NULL)

static ns_str make_str(const char *text) {
    ns_str s = { text, strlen(text) };
    return s;
}

/** Parses a decimal such as "99.5" or "-0.25" into fixed point; returns 0 on malformed text. */
static int parse_fixed(ns_str text, int64_t *out) {
    size_t i = 0;
    int negative = 0, digits = 0, fraction_digits = -1;
    int64_t value = 0;
    if (i < text.len && (text.ptr[i] == '-' || text.ptr[i] == '+')) negative = text.ptr[i++] == '-';
    for (; i < text.len; i++) {
        char c = text.ptr[i];
        if (c == '.' && fraction_digits < 0) { fraction_digits = 0; continue; }
        if (c < '0' || c > '9') return 0;
        if (fraction_digits >= 8) continue; /* digits past the eighth decimal are dropped */
        if (value > (INT64_MAX - 9) / 10) return 0;
        value = value * 10 + (c - '0');
        digits++;
        if (fraction_digits >= 0) fraction_digits++;
    }
    if (digits == 0) return 0;
    for (int k = fraction_digits < 0 ? 0 : fraction_digits; k < 8; k++) {
        if (value > INT64_MAX / 10) return 0;
        value *= 10;
    }
    *out = negative ? -value : value;
    return 1;
}

/** Formats fixed point as decimal text into `buffer`. */
static void format_fixed(int64_t value, char *buffer, size_t size) {
    const char *sign = value < 0 ? "-" : "";
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    snprintf(buffer, size, "%s%llu.%08llu", sign, (unsigned long long)(magnitude / NS_FIXED_SCALE),
             (unsigned long long)(magnitude % NS_FIXED_SCALE));
}

/* MARK: - Instance */

typedef struct threshold {
    const ns_host *host;
    uint32_t symbol;
    char symbol_name[64];
    int64_t below;
    int64_t quantity;
    int armed;            /* whether the next crossing may buy */
    char error[256];      /* last_error text, valid until the next error */
    char reason[128];     /* the last order's reason, borrowed by the host during submit_order */
} threshold;

static ns_status fail(threshold *self, ns_status status, const char *message) {
    snprintf(self->error, sizeof self->error, "%s", message);
    return status;
}

static void log_line(threshold *self, int32_t level, const char *type, const char *message, int64_t ask) {
    if (!HAS_SERVICE(self->host, log)) return;
    char ask_text[40], below_text[40];
    format_fixed(ask, ask_text, sizeof ask_text);
    format_fixed(self->below, below_text, sizeof below_text);
    ns_field fields[3];
    memset(fields, 0, sizeof fields);
    fields[0].key = make_str("symbol");
    fields[0].type = NS_FIELD_STRING;
    fields[0].s = make_str(self->symbol_name);
    fields[1].key = make_str("ask");
    fields[1].type = NS_FIELD_STRING;
    fields[1].s = make_str(ask_text);
    fields[2].key = make_str("below");
    fields[2].type = NS_FIELD_STRING;
    fields[2].s = make_str(below_text);
    self->host->log(self->host->ctx, level, make_str(type), make_str(message), fields, 3);
}

/** Reads a config value; returns NS_OK and sets `out`, or the host's status. */
static ns_status config_value(const ns_host *host, const char *path, ns_str *out) {
    if (!HAS_SERVICE(host, config_get)) return NS_FATAL;
    return host->config_get(host->ctx, make_str(path), out);
}

/* MARK: - Plugin entry points */

static _Thread_local char create_error[256];

static ns_status threshold_create(const ns_host *host, ns_str instance_name, ns_str config_json,
                                  void **out_instance, ns_str *error) {
    (void)instance_name;
    (void)config_json; /* values are read by path through the host */
#define CREATE_FAIL(status, ...)                                          \
    do {                                                                  \
        snprintf(create_error, sizeof create_error, __VA_ARGS__);         \
        if (error) *error = make_str(create_error);                       \
        free(self);                                                       \
        return (status);                                                  \
    } while (0)
    threshold *self = calloc(1, sizeof *self);
    if (!self) CREATE_FAIL(NS_FATAL, "out of memory");
    if (!host || host->abi_major != NS_ABI_MAJOR || !HAS_SERVICE(host, intern) || !HAS_SERVICE(host, submit_order))
        CREATE_FAIL(NS_FATAL, "c-threshold needs a v%d host with intern and submit_order", NS_ABI_MAJOR);
    self->host = host;
    self->armed = 1;
    self->quantity = NS_FIXED_SCALE;

    ns_str value;
    if (config_value(host, "symbol", &value) != NS_OK || value.len == 0)
        CREATE_FAIL(NS_INVALID_CONFIG, "symbol: required string is missing");
    if (value.len >= sizeof self->symbol_name) CREATE_FAIL(NS_INVALID_CONFIG, "symbol: longer than 63 bytes");
    memcpy(self->symbol_name, value.ptr, value.len);
    self->symbol = host->intern(host->ctx, value);

    if (config_value(host, "below", &value) != NS_OK)
        CREATE_FAIL(NS_INVALID_CONFIG, "below: required number is missing");
    if (!parse_fixed(value, &self->below) || self->below <= 0)
        CREATE_FAIL(NS_INVALID_CONFIG, "below: expected a positive number, got \"%.*s\"", (int)value.len, value.ptr);

    if (config_value(host, "quantity", &value) == NS_OK &&
        (!parse_fixed(value, &self->quantity) || self->quantity <= 0))
        CREATE_FAIL(NS_INVALID_CONFIG, "quantity: expected a positive number, got \"%.*s\"", (int)value.len,
                    value.ptr);
#undef CREATE_FAIL
    *out_instance = self;
    return NS_OK;
}

static void threshold_destroy(void *inst) { free(inst); }

static ns_str threshold_last_error(void *inst) {
    threshold *self = inst;
    return make_str(self ? self->error : "");
}

static ns_status threshold_on_events(void *inst, const ns_event *events, size_t n) {
    threshold *self = inst;
    for (size_t i = 0; i < n; i++) {
        const ns_event *event = &events[i];
        if (event->kind != NS_EVENT_QUOTE || event->symbol != self->symbol || event->ask <= 0) continue;
        if (event->ask >= self->below) {
            self->armed = 1;
            continue;
        }
        if (!self->armed) continue;

        char ask_text[40], below_text[40];
        format_fixed(event->ask, ask_text, sizeof ask_text);
        format_fixed(self->below, below_text, sizeof below_text);
        snprintf(self->reason, sizeof self->reason, "ask %s below %s", ask_text, below_text);

        ns_order order;
        memset(&order, 0, sizeof order);
        order.symbol = self->symbol;
        order.side = NS_SIDE_BUY;
        order.type = NS_ORDER_MARKET;
        order.tif = NS_TIF_DAY;
        order.outcome = NS_OUTCOME_NONE;
        order.qty = self->quantity;
        order.ts_ns = event->ts_ns;
        order.reason = make_str(self->reason);
        self->armed = 0;
        ns_status status = self->host->submit_order(self->host->ctx, &order);
        if (status != NS_OK) {
            /* A risk block is the host's decision, already logged as trade_blocked: note it and keep watching. */
            ns_str why = HAS_SERVICE(self->host, last_error) ? self->host->last_error(self->host->ctx) : make_str("");
            char message[200];
            snprintf(message, sizeof message, "order not accepted: %.*s", (int)why.len, why.ptr ? why.ptr : "");
            log_line(self, NS_LEVEL_WARNING, "", message, event->ask);
            continue;
        }
        log_line(self, NS_LEVEL_INFO, "", self->reason, event->ask);
    }
    return NS_OK;
}

static ns_status threshold_on_order_update(void *inst, const ns_order_update *update) {
    threshold *self = inst;
    if (!update) return fail(self, NS_FATAL, "on_order_update without an update");
    if (update->status == NS_ORDER_STATUS_REJECTED) log_line(self, NS_LEVEL_WARNING, "", "order rejected", 0);
    return NS_OK;
}

/* MARK: - Tables */

static const ns_strategy_v1 strategy_table = {
    .size = sizeof(ns_strategy_v1),
    .on_events = threshold_on_events,
    .on_order_update = threshold_on_order_update,
};

#define SCHEMA                                                                                          \
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"symbol\",\"below\"],"          \
    "\"properties\":{"                                                                                  \
    "\"symbol\":{\"type\":\"string\",\"description\":\"Instrument to watch.\"},"                        \
    "\"below\":{\"type\":\"number\",\"minimum\":0,\"description\":\"Buy when the ask is below this.\"}," \
    "\"quantity\":{\"type\":\"number\",\"minimum\":0,\"default\":1,\"description\":\"Per order.\"}}}"

#define STR(literal) { literal, sizeof(literal) - 1 }

static ns_plugin_v1 plugin_table = {
    .size = sizeof(ns_plugin_v1),
    .abi_major = NS_ABI_MAJOR,
    .abi_minor = NS_ABI_MINOR,
    .layout_hash = 0, /* set when the library loads: ns_layout_hash() is not a constant expression */
    .name = STR("c-threshold"),
    .version = STR("1.0.0"),
    .description = STR("Buys when the ask of one symbol drops below a configured price."),
    .kinds = NS_KIND_STRATEGY,
    .config_schema = STR(SCHEMA),
    .create = threshold_create,
    .destroy = threshold_destroy,
    .last_error = threshold_last_error,
    .strategy = &strategy_table,
};

/** Runs at load time, before the host can call the entry symbol, so the table is complete and never written again. */
__attribute__((constructor)) static void threshold_load(void) { plugin_table.layout_hash = ns_layout_hash(); }

const ns_plugin_v1 *nightshift_plugin_v1(void) { return &plugin_table; }
