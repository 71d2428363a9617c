/*
 * bench-source — the producer of the event-throughput benchmark (P1).
 *
 * A poll source whose first cycle emits `batches` batches of `batch_size` trade events through ns_host.emit as fast
 * as the host accepts them, stopping early once `max_ms` have passed; later cycles emit nothing. It then logs
 * `bench_source_done` with the number of events emitted and the monotonic start and end times of the burst, and
 * emits the end marker (one BENCH_END_MARKER event) so the strategy can time the burst's arrival.
 *
 * The events come from bench_fill_events(), which the benchmark also calls to build the identical batch for its
 * direct-call baseline.
 */
#include <string.h>

#include "bench_plugin.h"

#define SCHEMA                                                                                 \
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"                     \
    "\"batch_size\":{\"type\":\"integer\",\"minimum\":1,\"default\":1024,\"description\":\"Events per emit.\"}," \
    "\"batches\":{\"type\":\"integer\",\"minimum\":1,\"default\":1000,\"description\":\"Emits in the burst.\"}," \
    "\"max_ms\":{\"type\":\"integer\",\"minimum\":1,\"default\":5000,\"description\":\"Time bound of the burst.\"}}}"

/** Writes `n` trade events for `symbol`: prices step through 1000 ticks so the consumer's sum depends on every one. */
void bench_fill_events(ns_event *out, size_t n, uint32_t symbol) {
    memset(out, 0, n * sizeof(ns_event));
    for (size_t i = 0; i < n; i++) {
        out[i].kind = NS_EVENT_TRADE;
        out[i].symbol = symbol;
        out[i].ts_ns = 1704207845123456789LL + (int64_t)i;
        out[i].price = 187 * NS_FIXED_SCALE + (int64_t)(i % 1000) * 10000;
        out[i].size = NS_FIXED_SCALE;
    }
}

typedef struct source {
    const ns_host *host;
    ns_event *events;
    size_t batch_size;
    int64_t batches;
    int64_t max_ns;
    int done;
    char error[128];
} source;

static ns_str source_last_error(void *inst) {
    source *self = inst;
    ns_str text = { self->error, strlen(self->error) };
    return text;
}

static ns_status begin_cycle(void *inst, int64_t now_ns) {
    (void)now_ns;
    source *self = inst;
    if (self->done) return NS_OK;
    self->done = 1;
    int64_t start = bench_monotonic_ns(), emitted = 0, batch = 0;
    for (; batch < self->batches; batch++) {
        // Reading the clock every 64 emits keeps its cost out of the figure.
        if ((batch & 63) == 0 && bench_monotonic_ns() - start > self->max_ns) break;
        ns_status status = self->host->emit(self->host->ctx, self->events, self->batch_size);
        if (status != NS_OK) {
            strcpy(self->error, "emit refused a batch");
            return status;
        }
        emitted += (int64_t)self->batch_size;
    }
    int64_t end = bench_monotonic_ns();
    ns_event marker;
    memset(&marker, 0, sizeof(marker));
    marker.kind = BENCH_END_MARKER;
    ns_status status = self->host->emit(self->host->ctx, &marker, 1);
    if (status != NS_OK) return status;
    ns_str keys[4] = { STR("events"), STR("batches"), STR("start_ns"), STR("end_ns") };
    int64_t values[4] = { emitted, batch, start, end };
    ns_str type = STR("bench_source_done"), message = STR("burst emitted");
    bench_log_ints(self->host, type, message, keys, values, 4);
    return NS_OK;
}

static ns_status next_request(void *inst, ns_http_request *out) {
    (void)inst;
    memset(out, 0, sizeof(*out));
    return NS_OK;
}

static ns_status on_response(void *inst, const ns_http_response *response) {
    (void)inst;
    (void)response;
    return NS_OK;
}

static ns_status source_create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    static const char *const no_memory = "out of memory";
    source *self = calloc(1, sizeof(source));
    if (self == NULL) goto fail;
    self->host = host;
    self->batch_size = (size_t)bench_config_int(host, "batch_size", 1024);
    self->batches = bench_config_int(host, "batches", 1000);
    self->max_ns = bench_config_int(host, "max_ms", 5000) * 1000000LL;
    self->events = calloc(self->batch_size, sizeof(ns_event));
    if (self->events == NULL) goto fail;
    ns_str symbol = STR("AAPL");
    bench_fill_events(self->events, self->batch_size, host->intern(host->ctx, symbol));
    *out = self;
    return NS_OK;
fail:
    free(self);
    error->ptr = no_memory;
    error->len = strlen(no_memory);
    return NS_FATAL;
}

static void source_destroy(void *inst) {
    source *self = inst;
    free(self->events);
    free(self);
}

static const ns_poll_source_v1 poll_table = { sizeof(ns_poll_source_v1), 0, begin_cycle, next_request, on_response };
static ns_plugin_v1 info;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    BENCH_PLUGIN_INFO(info, "bench-source", "emits one burst of trade events as fast as the host takes them",
                      SCHEMA, NS_KIND_POLL_SOURCE);
    info.create = source_create;
    info.destroy = source_destroy;
    info.last_error = source_last_error;
    info.poll_source = &poll_table;
    return &info;
}
