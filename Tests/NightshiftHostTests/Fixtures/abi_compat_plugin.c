/*
 * A C plugin for the ABI compatibility tests. The -D flags shape its tables; GUARDED and CAP_GUARDED place a table so
 * that it ends exactly where readable memory ends (a PROT_NONE page follows), so a host that reads one byte past what
 * the plugin provided faults instead of passing.
 *   -DMAJOR=n -DMINOR=n       the declared ABI version (default: this header's)
 *   -DTABLE_SIZE=expr         the info table's declared size (default sizeof(ns_plugin_v1))
 *   -DGUARDED                 the info table ends at a guard page
 *   -DPROVIDED=expr           with GUARDED: bytes of the info table before the guard (default: the smaller of
 *                             TABLE_SIZE and sizeof(ns_plugin_v1))
 *   -DEXTENDED                the info table is followed by fields a later minor might append, counted in its size
 *   -DAS_BROKER / -DAS_POLL / -DAS_STREAM   the plugin's kind (default: a strategy)
 *   -DCAP_SIZE=expr           the capability table's declared size
 *   -DCAP_SHORTFALL=n         the capability table declares n bytes fewer than this header's
 *   -DCAP_GUARDED             the capability table ends at a guard page, after min(its declared size, sizeof) bytes
 *                             but at least its 8-byte head (size and reserved), which a reader needs to see the size
 *   -DCAP_MISSING_FUNCTION    the capability table lacks a required function
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nightshift_plugin.h"

#ifndef MAJOR
#define MAJOR NS_ABI_MAJOR
#endif
#ifndef MINOR
#define MINOR NS_ABI_MINOR
#endif
#define STR(s) { s, sizeof(s) - 1 }

#if NS_ABI_MINOR == 0
_Static_assert(NS_PLUGIN_V1_0_SIZE == sizeof(ns_plugin_v1), "in ABI 1.0 the 1.0 size is the whole table");
#endif

/** Copies the first `provided` bytes of `table` so that they end where a PROT_NONE page begins. */
static inline void *guarded_copy(const void *table, size_t provided) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *base = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) abort();
    unsigned char *start = base + page - provided;
    memcpy(start, table, provided);
    if (mprotect(base + page, page, PROT_NONE) != 0) abort();
    return start;
}

static inline size_t smaller(size_t a, size_t b) { return a < b ? a : b; }
static inline size_t larger(size_t a, size_t b) { return a > b ? a : b; }

/* MARK: - Instance functions (never called by the loader; inline so unused ones draw no warning) */

static inline ns_str last_error(void *inst) { (void)inst; ns_str s = STR("no error"); return s; }
static inline ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)host; (void)name; (void)config; (void)error;
    *out = malloc(1);
    return NS_OK;
}
static inline void destroy(void *inst) { free(inst); }
static inline ns_status on_events(void *inst, const ns_event *events, size_t n) { (void)inst; (void)events; (void)n; return NS_OK; }
static inline ns_status submit(void *inst, const ns_order *order, ns_order_update *out) { (void)inst; (void)order; (void)out; return NS_OK; }
static inline ns_status query(void *inst, ns_str id, ns_order_update *out) { (void)inst; (void)id; (void)out; return NS_OK; }
static inline ns_status begin_cycle(void *inst, int64_t now) { (void)inst; (void)now; return NS_OK; }
static inline ns_status next_request(void *inst, ns_http_request *out) { (void)inst; memset(out, 0, sizeof *out); return NS_OK; }
static inline ns_status on_response(void *inst, const ns_http_response *response) { (void)inst; (void)response; return NS_OK; }
static inline ns_status describe(void *inst, ns_stream_request *out) { (void)inst; memset(out, 0, sizeof *out); return NS_OK; }
static inline ns_status on_open(void *inst) { (void)inst; return NS_OK; }
static inline ns_status on_frame(void *inst, ns_str frame) { (void)inst; (void)frame; return NS_OK; }
static inline void on_close(void *inst) { (void)inst; }

/* MARK: - The capability table */

#if defined(AS_BROKER)
static ns_broker_v1 capability = { sizeof(ns_broker_v1), 0, submit, query, on_events };
#define CAP_FIELD broker
#define CAP_KIND NS_KIND_BROKER
#define CAP_REQUIRED submit
#elif defined(AS_POLL)
static ns_poll_source_v1 capability = { sizeof(ns_poll_source_v1), 0, begin_cycle, next_request, on_response };
#define CAP_FIELD poll_source
#define CAP_KIND NS_KIND_POLL_SOURCE
#define CAP_REQUIRED next_request
#elif defined(AS_STREAM)
static ns_stream_source_v1 capability = { sizeof(ns_stream_source_v1), 0, describe, on_open, on_frame, on_close };
#define CAP_FIELD stream_source
#define CAP_KIND NS_KIND_STREAM_SOURCE
#define CAP_REQUIRED on_frame
#else
static ns_strategy_v1 capability = { sizeof(ns_strategy_v1), 0, on_events, NULL };
#define CAP_FIELD strategy
#define CAP_KIND NS_KIND_STRATEGY
#define CAP_REQUIRED on_events
#endif

/* MARK: - The info table */

/** An info table as a later minor's header might lay it out: 1.0's fields, then appended ones. */
typedef struct extended_plugin {
    ns_plugin_v1 base;
    void (*appended_hook)(void);
    uint64_t appended_flags;
} extended_plugin;

static extended_plugin table;

const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str name = STR("abi-compat"), version = STR("0.0.1"), description = STR("ABI compatibility fixture");
    ns_str schema = STR("{\"type\":\"object\"}");
#ifdef CAP_SHORTFALL
    capability.size = (uint32_t)(sizeof capability - CAP_SHORTFALL);
#endif
#ifdef CAP_SIZE
    capability.size = (uint32_t)(CAP_SIZE);
#endif
#ifdef CAP_MISSING_FUNCTION
    capability.CAP_REQUIRED = NULL;
#endif
    ns_plugin_v1 *info = &table.base;
    info->size = sizeof(ns_plugin_v1);
#ifdef EXTENDED
    info->size = sizeof(extended_plugin);
    table.appended_hook = (void (*)(void))(uintptr_t)0x1; /* never valid: a host must not call what it does not know */
    table.appended_flags = ~(uint64_t)0;
#endif
#ifdef TABLE_SIZE
    info->size = (uint32_t)(TABLE_SIZE);
#endif
    info->abi_major = MAJOR;
    info->abi_minor = MINOR;
    info->layout_hash = ns_layout_hash();
    info->name = name;
    info->version = version;
    info->description = description;
    info->kinds = CAP_KIND;
    info->config_schema = schema;
    info->create = create;
    info->destroy = destroy;
    info->last_error = last_error;
    info->CAP_FIELD = &capability;
#ifdef CAP_GUARDED
    info->CAP_FIELD = guarded_copy(&capability, larger(8, smaller(capability.size, sizeof capability)));
#endif
#ifdef GUARDED
#ifndef PROVIDED
#define PROVIDED smaller(info->size, sizeof(ns_plugin_v1))
#endif
    return guarded_copy(info, PROVIDED);
#else
    return info;
#endif
}
