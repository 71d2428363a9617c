/*
 * A strategy that fails on purpose, for the supervision tests.
 *   config.fail:      "true" to return NS_FATAL from every on_events call
 *   config.stall_ms:  sleep this long in every on_events call (a stalled plugin)
 *   config.stall_after: answer this many on_events calls at once before the stalls begin (default 0: from the first)
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fixture_plugin.h"

typedef struct { int fail; long stall_ms; long stall_after; long calls; } faulty;

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR("injected failure"); return s; }

static ns_status on_events(void *inst, const ns_event *events, size_t n) {
    (void)events; (void)n;
    faulty *self = inst;
    if (self->stall_ms > 0 && ++self->calls > self->stall_after) {
        struct timespec pause = { self->stall_ms / 1000, (self->stall_ms % 1000) * 1000000L };
        nanosleep(&pause, NULL);
    }
    return self->fail ? NS_FATAL : NS_OK;
}

static long number(const ns_host *host, const char *key) {
    ns_str path = { key, strlen(key) }, value = { NULL, 0 };
    if (host->config_get(host->ctx, path, &value) != NS_OK || value.len == 0 || value.len > 30) return 0;
    char text[32];
    memcpy(text, value.ptr, value.len);
    text[value.len] = 0;
    if (strcmp(text, "true") == 0) return 1;
    return strtol(text, NULL, 10);
}

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    faulty *self = calloc(1, sizeof(faulty));
    self->fail = (int)number(host, "fail");
    self->stall_ms = number(host, "stall_ms");
    self->stall_after = number(host, "stall_after");
    *out = self;
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_strategy_v1 strategy = { sizeof(ns_strategy_v1), 0, on_events, NULL };
NS_FIXTURE_PLUGIN("faulty", "fails on purpose",
                  "{\"type\":\"object\",\"properties\":{\"fail\":{\"type\":\"boolean\"},\"stall_ms\":{\"type\":\"integer\",\"minimum\":0},\"stall_after\":{\"type\":\"integer\",\"minimum\":0}}}",
                  NS_KIND_STRATEGY, strategy, strategy, create, destroy, last_error)
