/// The C test program of a generated C package, around the kind's `drive()`: a fake host, the loader's checks, and
/// a `main` that loads the library with `dlopen` as the host does.
enum CTestTemplate {
    static let host = #"""
        /*
         * test_{{c}} — loads lib{{name}}.so the way the Nightshift host does (dlopen, the entry symbol, the version and
         * layout checks) and drives it through a small fake host. Prints one line per check; exits 0 when all pass.
         *
         *   make test            (or: ./test_{{c}} ./lib{{name}}.so)
         */
        #include <dlfcn.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        #include "nightshift_plugin.h"

        /* MARK: - Checks */

        static int checks = 0, failures = 0;

        #define CHECK(condition, what)                                                    \
            do {                                                                          \
                checks++;                                                                 \
                if (condition) {                                                          \
                    printf("ok - %s\n", what);                                            \
                } else {                                                                  \
                    failures++;                                                           \
                    printf("not ok - %s (%s:%d)\n", what, __FILE__, __LINE__);            \
                }                                                                         \
            } while (0)

        /** A decimal as fixed point, e.g. FIXED(99.5). */
        #define FIXED(units) ((int64_t)((units) * (double)NS_FIXED_SCALE + ((units) < 0 ? -0.5 : 0.5)))

        static ns_str make_str(const char *text) {
            ns_str s = { text, strlen(text) };
            return s;
        }

        /* MARK: - A fake host: config from a table, everything the plugin publishes captured */

        #define MAX_ITEMS 64

        typedef struct fake_host {
            const char *config[16][2];  /* (key, value) pairs config_get serves; absent keys are NS_INVALID_CONFIG */
            size_t n_config;
            char symbols[MAX_ITEMS][32];
            size_t n_symbols;
            ns_event events[MAX_ITEMS]; /* emitted, payloads dropped */
            size_t n_events;
            ns_order orders[MAX_ITEMS]; /* submitted, strings dropped */
            size_t n_orders;
            size_t n_updates;
            const char *error;
        } fake_host;

        static void host_log(void *ctx, int32_t level, ns_str type, ns_str message, const ns_field *fields, size_t n) {
            (void)ctx;
            (void)fields;
            (void)n;
            printf("# log level %d %.*s%s%.*s\n", (int)level, (int)type.len, type.len ? type.ptr : "", type.len ? ": " : "",
                   (int)message.len, message.len ? message.ptr : "");
        }

        static int64_t host_now(void *ctx) {
            (void)ctx;
            return 1735689600LL * 1000000000LL;
        }

        static uint32_t host_intern(void *ctx, ns_str symbol) {
            fake_host *host = ctx;
            for (size_t i = 0; i < host->n_symbols; i++)
                if (strlen(host->symbols[i]) == symbol.len && memcmp(host->symbols[i], symbol.ptr, symbol.len) == 0)
                    return (uint32_t)i + 1;
            if (host->n_symbols == MAX_ITEMS || symbol.len >= sizeof host->symbols[0]) abort();
            memcpy(host->symbols[host->n_symbols], symbol.ptr, symbol.len);
            host->symbols[host->n_symbols][symbol.len] = '\0';
            return (uint32_t)++host->n_symbols;
        }

        static ns_str host_symbol_name(void *ctx, uint32_t symbol) {
            fake_host *host = ctx;
            return symbol >= 1 && symbol <= host->n_symbols ? make_str(host->symbols[symbol - 1]) : make_str("");
        }

        static ns_status host_emit(void *ctx, const ns_event *events, size_t n) {
            fake_host *host = ctx;
            for (size_t i = 0; i < n && host->n_events < MAX_ITEMS; i++) {
                host->events[host->n_events] = events[i];
                host->events[host->n_events++].payload = make_str(""); /* borrowed: not kept */
            }
            return NS_OK;
        }

        static ns_status host_submit_order(void *ctx, const ns_order *order) {
            fake_host *host = ctx;
            if (host->n_orders == MAX_ITEMS) {
                host->error = "too many orders";
                return NS_FATAL;
            }
            host->orders[host->n_orders] = *order;
            host->orders[host->n_orders].reason = make_str(""); /* borrowed: not kept */
            host->orders[host->n_orders++].client_order_id = make_str("");
            return NS_OK;
        }

        static ns_status host_http(void *ctx, const ns_http_request *request, ns_http_response *out) {
            (void)request;
            memset(out, 0, sizeof *out);
            ((fake_host *)ctx)->error = "the test host performs no HTTP";
            return NS_FATAL;
        }

        static ns_status host_config_get(void *ctx, ns_str path, ns_str *out) {
            fake_host *host = ctx;
            for (size_t i = 0; i < host->n_config; i++) {
                if (strlen(host->config[i][0]) == path.len && memcmp(host->config[i][0], path.ptr, path.len) == 0) {
                    *out = make_str(host->config[i][1]);
                    return NS_OK;
                }
            }
            *out = make_str("");
            host->error = "no config value at that path";
            return NS_INVALID_CONFIG;
        }

        static ns_status host_stream_send(void *ctx, ns_str frame) {
            (void)frame;
            ((fake_host *)ctx)->error = "no stream is open";
            return NS_FATAL;
        }

        static ns_status host_order_update(void *ctx, const ns_order_update *update) {
            (void)update;
            ((fake_host *)ctx)->n_updates++;
            return NS_OK;
        }

        static ns_str host_last_error(void *ctx) {
            fake_host *host = ctx;
            return make_str(host->error ? host->error : "");
        }

        /** The service table for `fake`, as a v1 host fills it. */
        static ns_host make_host(fake_host *fake) {
            ns_host host;
            memset(&host, 0, sizeof host);
            host.size = sizeof host;
            host.abi_major = NS_ABI_MAJOR;
            host.abi_minor = NS_ABI_MINOR;
            host.ctx = fake;
            host.log = host_log;
            host.now_ns = host_now;
            host.intern = host_intern;
            host.symbol_name = host_symbol_name;
            host.emit = host_emit;
            host.submit_order = host_submit_order;
            host.http = host_http;
            host.config_get = host_config_get;
            host.stream_send = host_stream_send;
            host.order_update = host_order_update;
            host.last_error = host_last_error;
            return host;
        }

        """#

    static let main = #"""

        /* MARK: - Loading */

        int main(int argc, char **argv) {
            const char *path = argc > 1 ? argv[1] : "./lib{{name}}.so";
            void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            if (!library) {
                printf("not ok - dlopen %s: %s\n", path, dlerror());
                return 1;
            }
            ns_entry_v1 entry = (ns_entry_v1)dlsym(library, NS_ENTRY_SYMBOL_V1);
            CHECK(entry != NULL, "the library exports " NS_ENTRY_SYMBOL_V1);
            const ns_plugin_v1 *plugin = entry ? entry() : NULL;
            CHECK(plugin != NULL, "the entry symbol returns a table");
            if (!plugin) return 1;
            CHECK(plugin->size >= sizeof(ns_plugin_v1), "the table is as long as this header's ns_plugin_v1");
            CHECK(plugin->abi_major == NS_ABI_MAJOR && plugin->abi_minor <= NS_ABI_MINOR,
                  "the ABI version is one this header's host accepts");
            CHECK(plugin->layout_hash == ns_layout_hash(), "the layout hash matches this header's");
            CHECK(plugin->name.len == strlen("{{name}}") && memcmp(plugin->name.ptr, "{{name}}", plugin->name.len) == 0,
                  "the plugin is named {{name}}");
            CHECK(plugin->create && plugin->destroy && plugin->last_error, "create, destroy and last_error are set");
            if (plugin->create && plugin->destroy && plugin->last_error) drive(plugin);
            printf("%d of %d checks passed\n", checks - failures, checks);
            return failures == 0 ? 0 : 1;
        }

        """#
}
