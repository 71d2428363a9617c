/*
 * Shared scaffolding for the C test plugins: string literals as ns_str, and the info table with its entry symbol.
 */
#ifndef NIGHTSHIFT_FIXTURE_PLUGIN_H
#define NIGHTSHIFT_FIXTURE_PLUGIN_H
#include "nightshift_plugin.h"

#define STR(s) { s, sizeof(s) - 1 }

/*
 * Defines `nightshift_plugin_v1` for a plugin of one kind. `capability` is the ns_plugin_v1 field that points at the
 * kind's table (strategy, broker, ...);
 */
#define NS_FIXTURE_PLUGIN(NAME, DESCRIPTION, SCHEMA, KIND, capability, TABLE, CREATE, DESTROY, LAST_ERROR)       \
    static ns_plugin_v1 fixture_info;                                                                          \
    const ns_plugin_v1 *nightshift_plugin_v1(void) {                                                           \
        ns_str name = STR(NAME), version = STR("1.0.0"), description = STR(DESCRIPTION), schema = STR(SCHEMA); \
        fixture_info.size = sizeof(ns_plugin_v1);                                                              \
        fixture_info.abi_major = NS_ABI_MAJOR;                                                                 \
        fixture_info.abi_minor = NS_ABI_MINOR;                                                                 \
        fixture_info.layout_hash = ns_layout_hash();                                                           \
        fixture_info.name = name;                                                                              \
        fixture_info.version = version;                                                                        \
        fixture_info.description = description;                                                               \
        fixture_info.kinds = KIND;                                                                             \
        fixture_info.config_schema = schema;                                                                   \
        fixture_info.create = CREATE;                                                                          \
        fixture_info.destroy = DESTROY;                                                                        \
        fixture_info.last_error = LAST_ERROR;                                                                  \
        fixture_info.capability = &TABLE;                                                                      \
        return &fixture_info;                                                                                  \
    }

#endif
