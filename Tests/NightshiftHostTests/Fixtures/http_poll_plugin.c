/*
 * A poll source that fetches one configured URL per cycle through the host (so the host's retry wrapper applies),
 * logs a `fetched` event with the status, and emits one event whose size is the body length.
 *   config.url  the URL to GET
 */
#include <stdlib.h>
#include <string.h>
#include "fixture_plugin.h"

typedef struct { const ns_host *host; ns_str url; int pending; } poller;

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR("unusable response"); return s; }

static ns_status begin_cycle(void *inst, int64_t now) { (void)now; ((poller *)inst)->pending = 1; return NS_OK; }

static ns_status next_request(void *inst, ns_http_request *out) {
    poller *self = inst;
    memset(out, 0, sizeof(*out));
    if (!self->pending) return NS_OK;
    self->pending = 0;
    ns_str method = STR("GET"), label = STR("fetch");
    out->method = method;
    out->url = self->url;
    out->label = label;
    return NS_OK;
}

static ns_status on_response(void *inst, const ns_http_response *response) {
    poller *self = inst;
    ns_field field = { STR("status"), NS_FIELD_INT, 0, response->status, 0.0, { NULL, 0 } };
    ns_str type = STR("fetched"), message = STR("response received");
    self->host->log(self->host->ctx, NS_LEVEL_INFO, type, message, &field, 1);
    ns_event event;
    memset(&event, 0, sizeof(event));
    event.kind = NS_EVENT_CUSTOM;
    event.size = (int64_t)response->body.len * NS_FIXED_SCALE;
    return self->host->emit(self->host->ctx, &event, 1);
}

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    poller *self = calloc(1, sizeof(poller));
    self->host = host;
    ns_str key = STR("url");
    if (host->config_get(host->ctx, key, &self->url) != NS_OK) { free(self); return NS_INVALID_CONFIG; }
    *out = self;
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_poll_source_v1 poll = { sizeof(ns_poll_source_v1), 0, begin_cycle, next_request, on_response };
NS_FIXTURE_PLUGIN("http-poll", "fetches one URL per cycle",
                  "{\"type\":\"object\",\"required\":[\"url\"],\"properties\":{\"url\":{\"type\":\"string\"}}}",
                  NS_KIND_POLL_SOURCE, poll_source, poll, create, destroy, last_error)
