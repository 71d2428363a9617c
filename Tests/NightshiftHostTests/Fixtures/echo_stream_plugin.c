/*
 * A stream-source test plugin speaking the market-data protocol of scripts/peers/ws_peer.py's /stream (the shape of
 * Alpaca's stream), for the stream driver's tests.
 *   describe  connects to the configured url
 *   on_open   sends {"action":"auth",...} then {"action":"subscribe","trades":[symbol]}; NS_RETRY if a send fails;
 *             logs an "echo_open" row
 *   on_frame  counts frames; a trade frame ("T":"t") emits one NS_EVENT_TRADE; an error frame ("T":"error") with
 *             code 402 (authentication failed) returns NS_FATAL, any other error code NS_RETRY
 *   on_close  logs an "echo_close" row with the frames and trades the link carried
 * Config: url (string, required), symbol (string, default "AAPL").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nightshift_plugin.h"

#define STR(s) { s, sizeof(s) - 1 }

typedef struct echo_stream {
    const ns_host *host;
    char url[512];
    char symbol[32];
    uint32_t symbol_id;
    int64_t opens, frames, trades;
    char error[256];
} echo_stream;

static ns_str make_str(const char *text) {
    ns_str s = { text, strlen(text) };
    return s;
}

static ns_status fail(echo_stream *self, ns_status status, const char *message) {
    snprintf(self->error, sizeof self->error, "%s", message);
    return status;
}

/** Writes one row with up to two integer fields. */
static void log_row(echo_stream *self, const char *type, const char *k1, int64_t v1, const char *k2, int64_t v2) {
    ns_field fields[2];
    memset(fields, 0, sizeof fields);
    fields[0].key = make_str(k1);
    fields[0].type = NS_FIELD_INT;
    fields[0].i = v1;
    fields[1].key = make_str(k2);
    fields[1].type = NS_FIELD_INT;
    fields[1].i = v2;
    self->host->log(self->host->ctx, NS_LEVEL_INFO, make_str(type), make_str(type), fields, 2);
}

static ns_status send_text(echo_stream *self, const char *text) {
    if (self->host->stream_send(self->host->ctx, make_str(text)) == NS_OK) return NS_OK;
    ns_str reason = self->host->last_error(self->host->ctx);
    snprintf(self->error, sizeof self->error, "send failed: %.*s", (int)reason.len, reason.ptr);
    return NS_RETRY;
}

/* MARK: - Stream callbacks */

static ns_status describe(void *inst, ns_stream_request *out) {
    echo_stream *self = inst;
    memset(out, 0, sizeof *out);
    out->url = make_str(self->url);
    return NS_OK;
}

static ns_status on_open(void *inst) {
    echo_stream *self = inst;
    self->opens++;
    self->frames = 0;
    self->trades = 0;
    log_row(self, "echo_open", "opens", self->opens, "frames", 0);
    if (send_text(self, "{\"action\":\"auth\",\"key\":\"test-key\",\"secret\":\"test-secret\"}") != NS_OK) return NS_RETRY;
    char subscribe[128];
    snprintf(subscribe, sizeof subscribe, "{\"action\":\"subscribe\",\"trades\":[\"%s\"]}", self->symbol);
    return send_text(self, subscribe);
}

static ns_status on_frame(void *inst, ns_str frame) {
    echo_stream *self = inst;
    self->frames++;
    char *text = malloc(frame.len + 1);
    if (!text) return fail(self, NS_RETRY, "out of memory");
    memcpy(text, frame.ptr, frame.len);
    text[frame.len] = 0;
    ns_status status = NS_OK;
    if (strstr(text, "\"T\": \"error\"") || strstr(text, "\"T\":\"error\"")) {
        const char *code_text = strstr(text, "\"code\":");
        long code = code_text ? strtol(code_text + 7, NULL, 10) : 0;
        char message[64];
        snprintf(message, sizeof message, "server error %ld", code);
        status = fail(self, code == 402 ? NS_FATAL : NS_RETRY, message);
    } else if (strstr(text, "\"T\": \"t\"") || strstr(text, "\"T\":\"t\"")) {
        ns_event event;
        memset(&event, 0, sizeof event);
        event.kind = NS_EVENT_TRADE;
        event.symbol = self->symbol_id;
        event.ts_ns = self->host->now_ns(self->host->ctx);
        event.price = 100 * NS_FIXED_SCALE;
        event.size = NS_FIXED_SCALE;
        self->trades++;
        status = self->host->emit(self->host->ctx, &event, 1);
        if (status != NS_OK) fail(self, status, "emit failed");
    }
    free(text);
    return status;
}

static void on_close(void *inst) {
    echo_stream *self = inst;
    log_row(self, "echo_close", "frames", self->frames, "trades", self->trades);
}

/* MARK: - Plugin */

static ns_str last_error(void *inst) { return make_str(((echo_stream *)inst)->error); }

static _Thread_local char create_error[128];

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    echo_stream *self = calloc(1, sizeof *self);
    ns_str value;
    if (!self) return NS_FATAL;
    self->host = host;
    if (host->config_get(host->ctx, make_str("url"), &value) != NS_OK || value.len == 0 || value.len >= sizeof self->url) {
        snprintf(create_error, sizeof create_error, "url: required string is missing or too long");
        *error = make_str(create_error);
        free(self);
        return NS_INVALID_CONFIG;
    }
    memcpy(self->url, value.ptr, value.len);
    if (host->config_get(host->ctx, make_str("symbol"), &value) == NS_OK && value.len > 0 && value.len < sizeof self->symbol)
        memcpy(self->symbol, value.ptr, value.len);
    else
        strcpy(self->symbol, "AAPL");
    self->symbol_id = host->intern(host->ctx, make_str(self->symbol));
    *out = self;
    return NS_OK;
}

static void destroy(void *inst) { free(inst); }

static const ns_stream_source_v1 stream = { sizeof(ns_stream_source_v1), 0, describe, on_open, on_frame, on_close };

static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str plugin_name = STR("echo-stream"), version = STR("0.0.1"), description = STR("stream driver test plugin");
    ns_str schema = STR("{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"},"
                        "\"symbol\":{\"type\":\"string\",\"default\":\"AAPL\"}},\"required\":[\"url\"]}");
    info.size = sizeof(ns_plugin_v1);
    info.abi_major = NS_ABI_MAJOR;
    info.abi_minor = NS_ABI_MINOR;
    info.layout_hash = ns_layout_hash();
    info.name = plugin_name;
    info.version = version;
    info.description = description;
    info.kinds = NS_KIND_STREAM_SOURCE;
    info.config_schema = schema;
    info.create = create;
    info.destroy = destroy;
    info.last_error = last_error;
    info.stream_source = &stream;
    return &info;
}
