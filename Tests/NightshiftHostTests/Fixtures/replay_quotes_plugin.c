/*
 * A source that turns market data from the test peers into quotes, for the record/replay tests. Built twice:
 *
 * Poll source (default): each cycle GETs `<url>?symbol=<symbol>&p=<price>&key=<api_key>` with an `x-api-key` header,
 * where <price> walks through config `prices` one per cycle (scripts/peers/http_peer.py's /echo answers with the
 * path, so the price travels through the peer and back in the body). A 200 body's `p=` becomes one quote.
 *
 * Stream source (-DREPLAY_QUOTES_STREAM): connects to `url` (ws_peer.py's /stream), logs in with `api_key` and
 * subscribes to `symbol`; every trade frame's price `"p"` becomes one quote.
 *
 * Each quote is bid = p - 0.05, ask = p + 0.05, price = p, stamped with the host's now_ns, and logged as a
 * `quote_seen` row with fields price (text), now_ns and seq (quotes so far).
 * Config: url (required), symbol (default AAPL), api_key (default ""), prices (poll: required, 1 to 32 numbers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nightshift_plugin.h"

#define STR(s) { s, sizeof(s) - 1 }

typedef struct quotes {
    const ns_host *host;
    char url[256], symbol[32], api_key[128];
    uint32_t symbol_id;
    char prices[32][24];
    int n_prices, cycle, pending;
    int64_t seq;
    char request_url[512], header_value[160], error[128];
    ns_http_header header;
} quotes;

static ns_str make_str(const char *text) {
    ns_str s = { text, strlen(text) };
    return s;
}

/** Copies config value `key` into `out`; returns 1 when present and it fits. */
static int config_text(const ns_host *host, const char *key, char *out, size_t size) {
    ns_str value;
    if (host->config_get(host->ctx, make_str(key), &value) != NS_OK || value.len >= size) return 0;
    memcpy(out, value.ptr, value.len);
    out[value.len] = 0;
    return 1;
}

/** Parses "101.25" into fixed point (8 decimals); digits end at the first other character. */
static int64_t parse_fixed(const char *text) {
    int64_t whole = 0, fraction = 0, scale = NS_FIXED_SCALE;
    int negative = *text == '-';
    if (negative) text++;
    while (*text >= '0' && *text <= '9') whole = whole * 10 + (*text++ - '0');
    if (*text == '.') {
        text++;
        while (*text >= '0' && *text <= '9' && scale > 1) {
            scale /= 10;
            fraction += (*text++ - '0') * scale;
        }
    }
    int64_t value = whole * NS_FIXED_SCALE + fraction;
    return negative ? -value : value;
}

/** Emits one quote around `price_text` and logs it. */
static ns_status emit_quote(quotes *self, const char *price_text) {
    int64_t price = parse_fixed(price_text), half = NS_FIXED_SCALE / 20;
    if (price <= half) {
        snprintf(self->error, sizeof self->error, "no price in the data");
        return NS_RETRY;
    }
    ns_event event;
    memset(&event, 0, sizeof event);
    event.kind = NS_EVENT_QUOTE;
    event.symbol = self->symbol_id;
    event.ts_ns = self->host->now_ns(self->host->ctx);
    event.price = price;
    event.bid = price - half;
    event.ask = price + half;
    event.bid_size = event.ask_size = NS_FIXED_SCALE;
    self->seq++;
    char text[24];
    size_t length = strcspn(price_text, "&\"', ]}");
    snprintf(text, sizeof text, "%.*s", (int)(length < sizeof text ? length : sizeof text - 1), price_text);
    ns_field fields[3];
    memset(fields, 0, sizeof fields);
    fields[0].key = make_str("price");
    fields[0].type = NS_FIELD_STRING;
    fields[0].s = make_str(text);
    fields[1].key = make_str("now_ns");
    fields[1].type = NS_FIELD_INT;
    fields[1].i = event.ts_ns;
    fields[2].key = make_str("seq");
    fields[2].type = NS_FIELD_INT;
    fields[2].i = self->seq;
    self->host->log(self->host->ctx, NS_LEVEL_INFO, make_str("quote_seen"), make_str("quote"), fields, 3);
    return self->host->emit(self->host->ctx, &event, 1);
}

/** A NUL-terminated copy of `text`, or NULL. */
static char *copy_text(ns_str text) {
    char *copy = malloc(text.len + 1);
    if (copy) {
        memcpy(copy, text.ptr, text.len);
        copy[text.len] = 0;
    }
    return copy;
}

#ifndef REPLAY_QUOTES_STREAM
/* MARK: - Poll source */

static ns_status begin_cycle(void *inst, int64_t now) {
    (void)now;
    ((quotes *)inst)->pending = 1;
    return NS_OK;
}

static ns_status next_request(void *inst, ns_http_request *out) {
    quotes *self = inst;
    memset(out, 0, sizeof *out);
    if (!self->pending) return NS_OK;
    self->pending = 0;
    snprintf(self->request_url, sizeof self->request_url, "%s?symbol=%s&p=%s&key=%s", self->url, self->symbol,
             self->prices[self->cycle % self->n_prices], self->api_key);
    snprintf(self->header_value, sizeof self->header_value, "%s", self->api_key);
    self->header.name = make_str("x-api-key");
    self->header.value = make_str(self->header_value);
    out->method = make_str("GET");
    out->url = make_str(self->request_url);
    out->headers = &self->header;
    out->n_headers = 1;
    out->label = make_str("quotes");
    return NS_OK;
}

static ns_status on_response(void *inst, const ns_http_response *response) {
    quotes *self = inst;
    if (response->status != 200) {
        snprintf(self->error, sizeof self->error, "status %d", response->status);
        return NS_RETRY;
    }
    char *body = copy_text(response->body);
    if (!body) return NS_RETRY;
    const char *price = strstr(body, "p=");
    ns_status status = price ? emit_quote(self, price + 2) : NS_RETRY;
    if (!price) snprintf(self->error, sizeof self->error, "no p= in the body");
    free(body);
    if (status == NS_OK) self->cycle++;
    return status;
}

static const ns_poll_source_v1 poll = { sizeof(ns_poll_source_v1), 0, begin_cycle, next_request, on_response };
#define KIND NS_KIND_POLL_SOURCE
#define NAME "replay-quotes-poll"
#else
/* MARK: - Stream source */

static ns_status describe(void *inst, ns_stream_request *out) {
    memset(out, 0, sizeof *out);
    out->url = make_str(((quotes *)inst)->url);
    return NS_OK;
}

static ns_status send_text(quotes *self, const char *text) {
    if (self->host->stream_send(self->host->ctx, make_str(text)) == NS_OK) return NS_OK;
    snprintf(self->error, sizeof self->error, "send failed");
    return NS_RETRY;
}

static ns_status on_open(void *inst) {
    quotes *self = inst;
    char frame[256];
    snprintf(frame, sizeof frame, "{\"action\":\"auth\",\"key\":\"%s\"}", self->api_key);
    if (send_text(self, frame) != NS_OK) return NS_RETRY;
    snprintf(frame, sizeof frame, "{\"action\":\"subscribe\",\"trades\":[\"%s\"]}", self->symbol);
    return send_text(self, frame);
}

static ns_status on_frame(void *inst, ns_str frame) {
    quotes *self = inst;
    char *text = copy_text(frame);
    if (!text) return NS_RETRY;
    ns_status status = NS_OK;
    const char *price = strstr(text, "\"p\": ");
    if ((strstr(text, "\"T\": \"t\"") || strstr(text, "\"T\":\"t\"")) && price) status = emit_quote(self, price + 5);
    free(text);
    return status;
}

static void on_close(void *inst) { (void)inst; }

static const ns_stream_source_v1 stream = { sizeof(ns_stream_source_v1), 0, describe, on_open, on_frame, on_close };
#define KIND NS_KIND_STREAM_SOURCE
#define NAME "replay-quotes-stream"
#endif

/* MARK: - Plugin */

static ns_str last_error(void *inst) { return make_str(((quotes *)inst)->error); }

static _Thread_local char create_error[128];

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    quotes *self = calloc(1, sizeof *self);
    if (!self) return NS_FATAL;
    self->host = host;
    if (!config_text(host, "url", self->url, sizeof self->url)) {
        snprintf(create_error, sizeof create_error, "url: required string is missing or too long");
        *error = make_str(create_error);
        free(self);
        return NS_INVALID_CONFIG;
    }
    if (!config_text(host, "symbol", self->symbol, sizeof self->symbol) || !self->symbol[0]) strcpy(self->symbol, "AAPL");
    config_text(host, "api_key", self->api_key, sizeof self->api_key);
    for (self->n_prices = 0; self->n_prices < 32; self->n_prices++) {
        char key[24];
        snprintf(key, sizeof key, "prices.%d", self->n_prices);
        if (!config_text(host, key, self->prices[self->n_prices], sizeof self->prices[0])) break;
    }
    if (KIND == NS_KIND_POLL_SOURCE && self->n_prices == 0) {
        snprintf(create_error, sizeof create_error, "prices: at least one price is required");
        *error = make_str(create_error);
        free(self);
        return NS_INVALID_CONFIG;
    }
    self->symbol_id = host->intern(host->ctx, make_str(self->symbol));
    *out = self;
    return NS_OK;
}

static void destroy(void *inst) { free(inst); }

static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str plugin_name = STR(NAME), version = STR("1.0.0"), description = STR("quotes from the test peers");
    ns_str schema = STR("{\"type\":\"object\",\"required\":[\"url\"],\"properties\":{\"url\":{\"type\":\"string\"},"
                        "\"symbol\":{\"type\":\"string\",\"default\":\"AAPL\"},"
                        "\"api_key\":{\"type\":\"string\",\"default\":\"\"},"
                        "\"prices\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}}}}");
    info.size = sizeof(ns_plugin_v1);
    info.abi_major = NS_ABI_MAJOR;
    info.abi_minor = NS_ABI_MINOR;
    info.layout_hash = ns_layout_hash();
    info.name = plugin_name;
    info.version = version;
    info.description = description;
    info.kinds = KIND;
    info.config_schema = schema;
    info.create = create;
    info.destroy = destroy;
    info.last_error = last_error;
#ifndef REPLAY_QUOTES_STREAM
    info.poll_source = &poll;
#else
    info.stream_source = &stream;
#endif
    return &info;
}
