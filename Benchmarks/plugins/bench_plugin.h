/*
 * Shared helpers for the benchmark plugins: string literals as ns_str, the monotonic clock, and integer settings
 * read through ns_host.config_get.
 */
#ifndef NIGHTSHIFT_BENCH_PLUGIN_H
#define NIGHTSHIFT_BENCH_PLUGIN_H
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nightshift_plugin.h"

/** The kind of the lone event that ends a burst: the strategy notes the time when it arrives. */
#define BENCH_END_MARKER NS_EVENT_CUSTOM

#define STR(literal) { literal, sizeof(literal) - 1 }

/** Whether the host's table is long enough to hold `field` and sets it. */
#define HAS_SERVICE(host, field) \
    (offsetof(ns_host, field) + sizeof((host)->field) <= (host)->size && (host)->field != NULL)

/** CLOCK_MONOTONIC in nanoseconds: the same clock the benchmark reads, so times from both sides compare. */
static inline int64_t bench_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/** Reads an integer setting by dotted path; `fallback` when the host has no value for it or it is not a number. */
static inline int64_t bench_config_int(const ns_host *host, const char *path, int64_t fallback) {
    if (!HAS_SERVICE(host, config_get)) return fallback;
    ns_str key = { path, strlen(path) }, value = { NULL, 0 };
    if (host->config_get(host->ctx, key, &value) != NS_OK || value.ptr == NULL || value.len == 0 || value.len > 30) {
        return fallback;
    }
    char text[32];
    memcpy(text, value.ptr, value.len);
    text[value.len] = '\0';
    char *end = NULL;
    long long parsed = strtoll(text, &end, 10);
    return end != NULL && *end == '\0' ? (int64_t)parsed : fallback;
}

/** Logs one event row with integer fields. */
static inline void bench_log_ints(const ns_host *host, ns_str type, ns_str message, const ns_str *keys,
                                  const int64_t *values, size_t n) {
    ns_field fields[8];
    if (n > 8) n = 8;
    for (size_t i = 0; i < n; i++) {
        ns_field field = { keys[i], NS_FIELD_INT, 0, values[i], 0.0, { NULL, 0 } };
        fields[i] = field;
    }
    host->log(host->ctx, NS_LEVEL_INFO, type, message, fields, n);
}

/** Fills in the plugin table shared by both benchmark plugins. */
#define BENCH_PLUGIN_INFO(table, NAME, DESCRIPTION, SCHEMA, KIND)                                       \
    table.size = sizeof(ns_plugin_v1);                                                                  \
    table.abi_major = NS_ABI_MAJOR;                                                                     \
    table.abi_minor = NS_ABI_MINOR;                                                                     \
    table.layout_hash = ns_layout_hash();                                                               \
    { ns_str name = STR(NAME), version = STR("1.0.0"), description = STR(DESCRIPTION), schema = STR(SCHEMA); \
      table.name = name; table.version = version; table.description = description;                     \
      table.config_schema = schema; }                                                                   \
    table.kinds = KIND

#endif
