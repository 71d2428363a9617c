/*
 * A configurable C plugin for the loader's tests: each -D flag builds a different kind of bad (or good) plugin.
 *   -DNO_ENTRY            no entry symbol
 *   -DMAJOR=n -DMINOR=n   declared ABI version
 *   -DBAD_LAYOUT          a wrong layout hash
 *   -DTABLE_SIZE=n        a declared info-table size
 *   -DMISSING_TABLE       declares a strategy but provides no strategy table
 *   -DNAME="x"            the plugin name
 */
#include <stdlib.h>
#include <string.h>
#include "nightshift_plugin.h"

#ifndef MAJOR
#define MAJOR NS_ABI_MAJOR
#endif
#ifndef MINOR
#define MINOR NS_ABI_MINOR
#endif
#ifndef NAME
#define NAME "variant"
#endif
#define STR(s) { s, sizeof(s) - 1 }

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR("no error"); return s; }
static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)host; (void)name; (void)config; (void)error;
    *out = malloc(1);
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }
static ns_status on_events(void *inst, const ns_event *events, size_t n) { (void)inst; (void)events; (void)n; return NS_OK; }

static const ns_strategy_v1 strategy = { sizeof(ns_strategy_v1), 0, on_events, NULL };

static ns_plugin_v1 info;

#ifndef NO_ENTRY
const ns_plugin_v1 *nightshift_plugin_v1(void) {
    ns_str name = STR(NAME), version = STR("0.0.1"), description = STR("loader test plugin"), schema = STR("{\"type\":\"object\"}");
    info.size = sizeof(ns_plugin_v1);
#ifdef TABLE_SIZE
    info.size = TABLE_SIZE;
#endif
    info.abi_major = MAJOR;
    info.abi_minor = MINOR;
    info.layout_hash = ns_layout_hash();
#ifdef BAD_LAYOUT
    info.layout_hash ^= 0x5a5a;
#endif
    info.name = name;
    info.version = version;
    info.description = description;
    info.kinds = NS_KIND_STRATEGY;
    info.config_schema = schema;
    info.create = create;
    info.destroy = destroy;
    info.last_error = last_error;
#ifndef MISSING_TABLE
    info.strategy = &strategy;
#endif
    return &info;
}
#endif
