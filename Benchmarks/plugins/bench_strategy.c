/*
 * bench-strategy — the consumer of the event-throughput benchmark (P1).
 *
 * A strategy that counts the events it receives and sums their prices (so no compiler can skip the work). It reads
 * the monotonic clock only twice, at its first batch and at the end marker (a lone NS_EVENT_CUSTOM event the source
 * sends after its burst), so the clock costs nothing per batch. When destroyed it logs `bench_strategy_totals`.
 * The benchmark calls the same on_events directly, from a plain loop, for its baseline.
 */
#include <string.h>

#include "bench_plugin.h"

#define SCHEMA "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}"

typedef struct strategy {
    const ns_host *host;
    int64_t events;
    int64_t batches;
    int64_t price_sum;
    int64_t first_ns;
    int64_t last_ns;
} strategy;

static ns_str strategy_last_error(void *inst) {
    (void)inst;
    ns_str text = STR("");
    return text;
}

static ns_status on_events(void *inst, const ns_event *events, size_t n) {
    strategy *self = inst;
    if (n == 1 && events[0].kind == BENCH_END_MARKER) {
        self->last_ns = bench_monotonic_ns();
        return NS_OK;
    }
    if (self->batches == 0) self->first_ns = bench_monotonic_ns();
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += events[i].price;
    self->price_sum += sum;
    self->events += (int64_t)n;
    self->batches++;
    return NS_OK;
}

static ns_status strategy_create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    static const char *const no_memory = "out of memory";
    strategy *self = calloc(1, sizeof(strategy));
    if (self == NULL) {
        error->ptr = no_memory;
        error->len = strlen(no_memory);
        return NS_FATAL;
    }
    self->host = host;
    *out = self;
    return NS_OK;
}

static void strategy_destroy(void *inst) {
    strategy *self = inst;
    ns_str keys[5] = { STR("events"), STR("batches"), STR("price_sum"), STR("first_ns"), STR("last_ns") };
    int64_t values[5] = { self->events, self->batches, self->price_sum, self->first_ns, self->last_ns };
    ns_str type = STR("bench_strategy_totals"), message = STR("totals at destroy");
    bench_log_ints(self->host, type, message, keys, values, 5);
    free(self);
}

static const ns_strategy_v1 strategy_table = { sizeof(ns_strategy_v1), 0, on_events, NULL };
static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    BENCH_PLUGIN_INFO(info, "bench-strategy", "counts events and sums their prices", SCHEMA, NS_KIND_STRATEGY);
    info.create = strategy_create;
    info.destroy = strategy_destroy;
    info.last_error = strategy_last_error;
    info.strategy = &strategy_table;
    return &info;
}
