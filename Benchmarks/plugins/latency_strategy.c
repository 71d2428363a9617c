/*
 * bench-latency — the consumer of the wire-to-strategy latency benchmark (P2).
 *
 * For every quote it receives it records the host's now_ns minus the event's ts_ns (the time the simulator stamped
 * into the quote's "t" just before sending it) into a fixed array, with no allocation per event. The first `warmup`
 * quotes (a setting) are not recorded. When destroyed it sorts the samples and logs `bench_latency` with the count
 * and the 50th, 99th and 99.9th percentiles and the maximum, in nanoseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_plugin.h"

#define SCHEMA "{\"type\":\"object\",\"properties\":{\"warmup\":{\"type\":\"integer\",\"default\":0}}}"
#define CAPACITY (1 << 20)

typedef struct latency {
    const ns_host *host;
    int64_t warmup;
    int64_t seen;
    size_t count;
    int64_t samples[CAPACITY];
} latency;

static ns_str latency_last_error(void *inst) {
    (void)inst;
    ns_str text = STR("");
    return text;
}

static ns_status on_events(void *inst, const ns_event *events, size_t n) {
    latency *self = inst;
    int64_t now = self->host->now_ns(self->host->ctx);
    for (size_t i = 0; i < n; i++) {
        if (events[i].kind != NS_EVENT_QUOTE) continue;
        if (self->seen++ < self->warmup || self->count == CAPACITY) continue;
        self->samples[self->count++] = now - events[i].ts_ns;
    }
    return NS_OK;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/** The sample at quantile q (nearest rank) of the sorted samples. */
static int64_t quantile(const latency *self, double q) {
    if (self->count == 0) return 0;
    size_t rank = (size_t)(q * (double)self->count + 0.999999);
    if (rank == 0) rank = 1;
    if (rank > self->count) rank = self->count;
    return self->samples[rank - 1];
}

static ns_status latency_create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    static const char *const no_memory = "out of memory";
    latency *self = calloc(1, sizeof(latency));
    if (self == NULL) {
        error->ptr = no_memory;
        error->len = strlen(no_memory);
        return NS_FATAL;
    }
    self->host = host;
    self->warmup = bench_config_int(host, "warmup", 0);
    *out = self;
    return NS_OK;
}

static void latency_destroy(void *inst) {
    latency *self = inst;
    qsort(self->samples, self->count, sizeof(int64_t), compare);
    ns_str keys[6] = { STR("count"), STR("p50_ns"), STR("p99_ns"), STR("p999_ns"), STR("max_ns"), STR("seen") };
    int64_t values[6] = { (int64_t)self->count, quantile(self, 0.50), quantile(self, 0.99), quantile(self, 0.999),
                          self->count ? self->samples[self->count - 1] : 0, self->seen };
    ns_str type = STR("bench_latency"), message = STR("latency percentiles at destroy");
    bench_log_ints(self->host, type, message, keys, values, 6);
    free(self);
}

static const ns_strategy_v1 strategy_table = { sizeof(ns_strategy_v1), 0, on_events, NULL };
static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    BENCH_PLUGIN_INFO(info, "bench-latency", "records wire-to-strategy latency per quote", SCHEMA, NS_KIND_STRATEGY);
    info.create = latency_create;
    info.destroy = latency_destroy;
    info.last_error = latency_last_error;
    info.strategy = &strategy_table;
    return &info;
}
