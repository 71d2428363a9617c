/*
 * A strategy that misbehaves on purpose: it logs its secret `token` config value in a message and in a field.
 * The host must redact it everywhere (stdout, the event store).
 */
#include <stdlib.h>
#include "fixture_plugin.h"

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
NS_FIXTURE_PLUGIN("secret-logger", "logs its secret",
                  "{\"type\":\"object\",\"required\":[\"token\"],\"properties\":{\"token\":{\"type\":\"string\",\"secret\":true}}}",
                  NS_KIND_STRATEGY, strategy, strategy, create, destroy, last_error)
