/*
 * A strategy that writes one `tick` event row per batch it receives, numbered 1, 2, 3, ... per instance life:
 * a steady, countable stream of events for the event-store outage and crash tests.
 */
#include <stdlib.h>
#include "fixture_plugin.h"

typedef struct { const ns_host *host; int64_t sequence; } ticker;

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR(""); return s; }

static ns_status on_events(void *inst, const ns_event *events, size_t n) {
    (void)events;
    ticker *self = inst;
    self->sequence++;
    ns_field fields[2] = {
        { STR("seq"), NS_FIELD_INT, 0, self->sequence, 0.0, { NULL, 0 } },
        { STR("batch"), NS_FIELD_INT, 0, (int64_t)n, 0.0, { NULL, 0 } },
    };
    ns_str type = STR("tick"), message = STR("batch received");
    self->host->log(self->host->ctx, NS_LEVEL_INFO, type, message, fields, 2);
    return NS_OK;
}

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    ticker *self = calloc(1, sizeof(ticker));
    self->host = host;
    *out = self;
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_strategy_v1 strategy = { sizeof(ns_strategy_v1), 0, on_events, NULL };
NS_FIXTURE_PLUGIN("ticker", "one event row per batch",
                  "{\"type\":\"object\"}",
                  NS_KIND_STRATEGY, strategy, strategy, create, destroy, last_error)
