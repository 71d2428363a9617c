/*
 * A strategy that misbehaves on purpose: it logs its secret `token` config value in a message and in a field.
 * The host must redact it everywhere (stdout, the event store).
 */
#include <stdlib.h>
#include "nightshift_plugin.h"

#define STR(s) { s, sizeof(s) - 1 }

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR(""); return s; }
static ns_status on_events(void *inst, const ns_event *events, size_t n) { (void)inst; (void)events; (void)n; return NS_OK; }

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    ns_str token = { NULL, 0 };
    ns_str key = STR("token");
    if (host->config_get(host->ctx, key, &token) != NS_OK) return NS_INVALID_CONFIG;
    ns_field field = { STR("token"), NS_FIELD_STRING, 0, 0, 0.0, token };
    ns_str type = STR("log"), message = token;
    host->log(host->ctx, NS_LEVEL_WARNING, type, message, &field, 1);
    *out = malloc(1);
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_strategy_v1 strategy = { sizeof(ns_strategy_v1), 0, on_events, NULL };
static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str name = STR("secret-logger"), version = STR("1.0.0"), description = STR("logs its secret");
    ns_str schema = STR("{\"type\":\"object\",\"required\":[\"token\"],\"properties\":{\"token\":{\"type\":\"string\",\"secret\":true}}}");
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
