/*
 * A strategy that writes one `tick` event row per batch it receives, numbered 1, 2, 3, ... per instance life:
 * a steady, countable stream of events for the event-store outage and crash tests.
 */
#include <stdlib.h>
#include "nightshift_plugin.h"

#define STR(s) { s, sizeof(s) - 1 }

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
static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str name = STR("ticker"), version = STR("1.0.0"), description = STR("one event row per batch");
    ns_str schema = STR("{\"type\":\"object\"}");
    info.size = sizeof(ns_plugin_v1);
    info.abi_major = NS_ABI_MAJOR;
    info.abi_minor = NS_ABI_MINOR;
    info.layout_hash = ns_layout_hash();
    info.name = name;
    info.version = version;
    info.description = description;
    info.kinds = NS_KIND_STRATEGY;
    info.config_schema = schema;
    info.create = create;
    info.destroy = destroy;
    info.last_error = last_error;
    info.strategy = &strategy;
    return &info;
}
