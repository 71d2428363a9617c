/*
 * soak-flaky — a strategy that fails at random, for the soak run (scripts/soak/soak.py).
 *
 * It subscribes to quotes like any strategy, never trades, and answers each on_events call with NS_FATAL with
 * probability fail_per_mille / 1000 (a plugin that throws): the host must restart it within its restart intensity and
 * keep everything else running. The choice is a seeded xorshift, so a soak seed gives the same sequence of calls that
 * fail; each new instance (a restart) continues from seed + the number of instances created before it.
 *
 * It also fails on demand: with trigger_file set, every byte appended to that file (by the soak's schedule) makes one
 * later on_events call fail. Bytes already there when the process loads its first instance are not counted, so a
 * host restarted after a SIGKILL does not replay old triggers.
 *
 * Configuration: fail_per_mille (integer, default 0), seed (integer, default 1), trigger_file (string, optional).
 * Build: cc -shared -fPIC -O2 -Wall -Wextra -I Sources/NightshiftABI/include scripts/soak/flaky_strategy.c \
 *        -o libsoak-flaky.so
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nightshift_plugin.h"

#define STR(literal) { literal, sizeof(literal) - 1 }

typedef struct flaky {
    uint64_t state;
    long fail_per_mille;
    long calls;
    char trigger[512];
    char error[96];
} flaky;

/** Instances created so far in this process: each restart draws a fresh, still reproducible, sequence. */
static uint64_t creations;
/** Trigger bytes already used (or present before the first instance): shared by every instance in the process. */
static long long triggers_used = -1;

static long long trigger_size(const flaky *self) {
    struct stat info;
    if (self->trigger[0] == 0 || stat(self->trigger, &info) != 0) return 0;
    return (long long)info.st_size;
}

static long config_number(const ns_host *host, const char *key, long fallback) {
    ns_str path = { key, strlen(key) }, value = { NULL, 0 };
    if (host->config_get(host->ctx, path, &value) != NS_OK || value.len == 0 || value.len > 30) return fallback;
    char text[32];
    memcpy(text, value.ptr, value.len);
    text[value.len] = 0;
    return strtol(text, NULL, 10);
}

static uint64_t next_random(flaky *self) {
    uint64_t x = self->state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return self->state = x;
}

static ns_status flaky_create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name;
    (void)config;
    (void)error;
    flaky *self = calloc(1, sizeof *self);
    if (!self) return NS_FATAL;
    self->fail_per_mille = config_number(host, "fail_per_mille", 0);
    ns_str path = STR("trigger_file"), value = { NULL, 0 };
    if (host->config_get(host->ctx, path, &value) == NS_OK && value.len < sizeof self->trigger)
        memcpy(self->trigger, value.ptr, value.len);
    if (triggers_used < 0) triggers_used = trigger_size(self);
    self->state = 0x9E3779B97F4A7C15ull * ((uint64_t)config_number(host, "seed", 1) + ++creations) | 1;
    *out = self;
    return NS_OK;
}

static void flaky_destroy(void *inst) { free(inst); }

static ns_str flaky_last_error(void *inst) {
    flaky *self = inst;
    ns_str s = { self->error, strlen(self->error) };
    return s;
}

static ns_status flaky_on_events(void *inst, const ns_event *events, size_t n) {
    (void)events;
    (void)n;
    flaky *self = inst;
    self->calls++;
    if (trigger_size(self) > triggers_used) {
        triggers_used++;
        snprintf(self->error, sizeof self->error, "triggered soak failure after %ld calls", self->calls);
        return NS_FATAL;
    }
    if ((long)(next_random(self) % 1000) < self->fail_per_mille) {
        snprintf(self->error, sizeof self->error, "random soak failure after %ld calls", self->calls);
        return NS_FATAL;
    }
    return NS_OK;
}

static const ns_strategy_v1 strategy_table = {
    .size = sizeof(ns_strategy_v1),
    .on_events = flaky_on_events,
};

#define SCHEMA                                                                                   \
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"                       \
    "\"fail_per_mille\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000,\"default\":0},"   \
    "\"seed\":{\"type\":\"integer\",\"default\":1},"                                        \
    "\"trigger_file\":{\"type\":\"string\"}}}"

static ns_plugin_v1 plugin_table = {
    .size = sizeof(ns_plugin_v1),
    .abi_major = NS_ABI_MAJOR,
    .abi_minor = NS_ABI_MINOR,
    .name = STR("soak-flaky"),
    .version = STR("1.0.0"),
    .description = STR("Fails on_events at random (seeded), for the soak run."),
    .kinds = NS_KIND_STRATEGY,
    .config_schema = STR(SCHEMA),
    .create = flaky_create,
    .destroy = flaky_destroy,
    .last_error = flaky_last_error,
    .strategy = &strategy_table,
};

/** Completes the table at load time (ns_layout_hash() is not a constant expression). */
__attribute__((constructor)) static void flaky_load(void) { plugin_table.layout_hash = ns_layout_hash(); }

const ns_plugin_v1 *nightshift_plugin_v1(void) { return &plugin_table; }
