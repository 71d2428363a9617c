/// The C package `plugin new --lang c` generates: one source file against `nightshift_plugin.h`, a Makefile
/// (`cc -shared -fPIC -I<header dir>`), and a C test program that loads the built library with `dlopen` and drives
/// it through a small fake host (`make test`).
enum CPackageTemplate {
    static func files(for request: ScaffoldRequest, values: TemplateValues) -> [ScaffoldFile] {
        let kind = CKindTemplates.template(for: request.kind)
        let source = values.render(prelude(kind) + kind.body + entry(kind))
        let test = values.render(CTestTemplate.host + kind.test + CTestTemplate.main)
        return [
            ScaffoldFile("\(request.name.text).c", source),
            ScaffoldFile("test_\(request.name.cIdentifier).c", test),
            ScaffoldFile("Makefile", values.render(makefile)),
            ScaffoldFile(".gitignore", "*.so\ntest_\(request.name.cIdentifier)\nvar/\n"),
        ]
    }

    static let makefile = """
        # {{name}}: builds lib{{name}}.so against the Nightshift plugin header, and tests it.
        #   make          -> lib{{name}}.so, the file a deployment loads
        #   make test     -> builds test_{{c}} and runs it against the library
        # Point NIGHTSHIFT_INCLUDE at another checkout's Sources/NightshiftABI/include to build against it.
        NIGHTSHIFT_INCLUDE ?= {{include}}
        CC ?= cc
        CFLAGS ?= -O2 -Wall -Wextra -Werror -std=c11

        lib{{name}}.so: {{name}}.c $(NIGHTSHIFT_INCLUDE)/nightshift_plugin.h
        \t$(CC) $(CFLAGS) -shared -fPIC -I $(NIGHTSHIFT_INCLUDE) {{name}}.c -o $@

        test_{{c}}: test_{{c}}.c $(NIGHTSHIFT_INCLUDE)/nightshift_plugin.h
        \t$(CC) $(CFLAGS) -I $(NIGHTSHIFT_INCLUDE) test_{{c}}.c -o $@ -ldl

        test: lib{{name}}.so test_{{c}}
        \t./test_{{c}} ./lib{{name}}.so

        clean:
        \trm -f lib{{name}}.so test_{{c}}

        .PHONY: test clean

        """

    private static func prelude(_ kind: CKindTemplate) -> String {
        #"""
        /*
         * {{name}} — a Nightshift {{kind}} plugin in plain C against nightshift_plugin.h.
         *
        \#(kind.summary)
         *
         * Configuration (the host checks it against CONFIG_SCHEMA before create(); read it with host->config_get,
         * which answers NS_INVALID_CONFIG for a key that is absent):
        \#(kind.configuration)
         *
         * Build: `make` -> lib{{name}}.so.  Test: `make test` (test_{{c}}.c loads the library and drives it).
         */
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        #include "nightshift_plugin.h"

        /* MARK: - Helpers (static inline: a kind that does not need one gets no unused-function warning) */

        /** Whether the host's table is long enough to hold `field` and sets it (an older host's table ends earlier). */
        #define HAS_SERVICE(host, field) \
            (offsetof(ns_host, field) + sizeof((host)->field) <= (host)->size && (host)->field != NULL)

        #define STR(literal) { literal, sizeof(literal) - 1 }

        static inline ns_str make_str(const char *text) {
            ns_str s = { text, strlen(text) };
            return s;
        }

        /** Parses a decimal such as "99.5" or "-0.25" into fixed point (8 decimals); returns 0 on malformed text. */
        static inline int parse_fixed(ns_str text, int64_t *out) {
            size_t i = 0;
            int negative = 0, digits = 0, fraction_digits = -1;
            int64_t value = 0;
            if (i < text.len && (text.ptr[i] == '-' || text.ptr[i] == '+')) negative = text.ptr[i++] == '-';
            for (; i < text.len; i++) {
                char c = text.ptr[i];
                if (c == '.' && fraction_digits < 0) { fraction_digits = 0; continue; }
                if (c < '0' || c > '9') return 0;
                if (fraction_digits >= 8) continue; /* digits past the eighth decimal are dropped */
                if (value > (INT64_MAX - 9) / 10) return 0;
                value = value * 10 + (c - '0');
                digits++;
                if (fraction_digits >= 0) fraction_digits++;
            }
            if (digits == 0) return 0;
            for (int k = fraction_digits < 0 ? 0 : fraction_digits; k < 8; k++) {
                if (value > INT64_MAX / 10) return 0;
                value *= 10;
            }
            *out = negative ? -value : value;
            return 1;
        }

        /** Reads the config text at `path`: NS_OK, or NS_INVALID_CONFIG when the key is absent. Host memory. */
        static inline ns_status config_text(const ns_host *host, const char *path, ns_str *out) {
            if (!HAS_SERVICE(host, config_get)) return NS_FATAL;
            return host->config_get(host->ctx, make_str(path), out);
        }

        /** Reads a fixed-point number at `path`, or `fallback` when the key is absent; 0 when malformed. */
        static inline int config_fixed(const ns_host *host, const char *path, int64_t fallback, int64_t *out) {
            ns_str text;
            if (config_text(host, path, &text) != NS_OK) {
                *out = fallback;
                return 1;
            }
            return parse_fixed(text, out);
        }

        /** Copies the config text at `path` (or `fallback` when absent) into `buffer`; 0 when it does not fit. */
        static inline int config_copy(const ns_host *host, const char *path, const char *fallback, char *buffer, size_t size) {
            ns_str text;
            if (config_text(host, path, &text) != NS_OK) text = make_str(fallback);
            if (text.len >= size) return 0;
            memcpy(buffer, text.ptr, text.len);
            buffer[text.len] = '\0';
            return 1;
        }

        /** The message create() hands back on failure: static storage per thread, as the header allows. */
        static _Thread_local char create_error[256];

        #define CREATE_FAIL(status, ...)                                      \
            do {                                                              \
                snprintf(create_error, sizeof create_error, __VA_ARGS__);     \
                if (error) *error = make_str(create_error);                   \
                free(self);                                                   \
                return (status);                                              \
            } while (0)

        """#
    }

    private static func entry(_ kind: CKindTemplate) -> String {
        #"""

        /* MARK: - The plugin table */

        static ns_plugin_v1 plugin_table = {
            .size = sizeof(ns_plugin_v1),
            .abi_major = NS_ABI_MAJOR,
            .abi_minor = NS_ABI_MINOR,
            .layout_hash = 0, /* set when the library loads: ns_layout_hash() is not a constant expression */
            .name = STR("{{name}}"),
            .version = STR("0.1.0"),
            .description = STR("\#(kind.description)"),
            .kinds = \#(kind.kindBit),
            .config_schema = STR(CONFIG_SCHEMA),
            .create = plugin_create,
            .destroy = plugin_destroy,
            .last_error = plugin_last_error,
            .\#(kind.capabilityField) = &capability_table,
        };

        /** Runs at load time, before the host can call the entry symbol, so the table is complete and never written again. */
        __attribute__((constructor)) static void plugin_load(void) { plugin_table.layout_hash = ns_layout_hash(); }

        /** The entry symbol the host looks up: returns the static table, never NULL. */
        const ns_plugin_v1 *nightshift_plugin_v1(void) { return &plugin_table; }

        """#
    }
}

/// The kind-specific parts of a generated C package.
struct CKindTemplate {
    /// Comment lines (` * …`) saying what the plugin does.
    var summary: String
    /// Comment lines describing each configuration key.
    var configuration: String
    /// The table's one-line description.
    var description: String
    /// The `NS_KIND_*` constant.
    var kindBit: String
    /// The `ns_plugin_v1` field holding the capability table.
    var capabilityField: String
    /// State, create/destroy/last_error, the capability functions, `capability_table` and `CONFIG_SCHEMA`.
    var body: String
    /// The test program's `drive()` for this kind.
    var test: String
}

enum CKindTemplates {
    static func template(for kind: ScaffoldRequest.Kind) -> CKindTemplate {
        switch kind {
        case .strategy: strategy
        case .source: source
        case .broker: broker
        }
    }
}
