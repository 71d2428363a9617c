/// The generated C poll source: emits one made-up quote per cycle, walking the price up and down.
extension CKindTemplates {
    static let source = CKindTemplate(
        summary: """
             * A poll source that emits one quote for `symbol` each cycle, its mid walking up `step` per cycle for five
             * cycles and back down again, `spread` wide. It needs no network; a source for a real provider describes
             * its HTTP request in next_request() and parses the host's answer in on_response().
            """,
        configuration: """
             *   symbol  string, default "AAPL"  the instrument to quote
             *   price   number, default 100     the first mid
             *   step    number, default 0.5     how far the mid moves per cycle
             *   spread  number, default 0.02    ask minus bid
            """,
        description: "Emits one made-up quote per cycle, walking the price up and down.",
        kindBit: "NS_KIND_POLL_SOURCE", capabilityField: "poll_source", body: sourceBody, test: sourceTest)

    private static let sourceBody = #"""

        /* MARK: - Instance */

        typedef struct plugin_state {
            const ns_host *host;
            uint32_t symbol;
            int64_t price;
            int64_t step;
            int64_t spread;
            uint64_t cycle;     /* cycles begun so far */
            char error[256];    /* last_error text, valid until the next error */
        } plugin_state;

        static ns_status fail(plugin_state *self, ns_status status, const char *message) {
            snprintf(self->error, sizeof self->error, "%s", message);
            return status;
        }

        /* MARK: - Entry points */

        static ns_status plugin_create(const ns_host *host, ns_str instance_name, ns_str config_json, void **out_instance,
                                       ns_str *error) {
            (void)instance_name;
            (void)config_json; /* values are read by path through host->config_get */
            plugin_state *self = calloc(1, sizeof *self);
            if (!self) CREATE_FAIL(NS_FATAL, "out of memory");
            if (!host || host->abi_major != NS_ABI_MAJOR || !HAS_SERVICE(host, intern) || !HAS_SERVICE(host, emit))
                CREATE_FAIL(NS_FATAL, "{{name}} needs a v%d host with intern and emit", NS_ABI_MAJOR);
            self->host = host;

            char symbol[64];
            if (!config_copy(host, "symbol", "AAPL", symbol, sizeof symbol) || symbol[0] == '\0')
                CREATE_FAIL(NS_INVALID_CONFIG, "symbol: expected a name of 1 to 63 bytes");
            self->symbol = host->intern(host->ctx, make_str(symbol));
            if (!config_fixed(host, "price", 100 * NS_FIXED_SCALE, &self->price) || self->price <= 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "price: expected a positive number");
            if (!config_fixed(host, "step", NS_FIXED_SCALE / 2, &self->step) || self->step < 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "step: expected a number of at least 0");
            if (!config_fixed(host, "spread", NS_FIXED_SCALE / 50, &self->spread) || self->spread < 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "spread: expected a number of at least 0");
            *out_instance = self;
            return NS_OK;
        }

        static void plugin_destroy(void *inst) { free(inst); }

        static ns_str plugin_last_error(void *inst) {
            plugin_state *self = inst;
            return make_str(self ? self->error : "");
        }

        /** Starts a cycle: this source has nothing to fetch, so it emits here. */
        static ns_status source_begin_cycle(void *inst, int64_t now_ns) {
            plugin_state *self = inst;
            uint64_t phase = self->cycle++ % 10;
            int64_t mid = self->price + self->step * (int64_t)(phase < 5 ? phase : 10 - phase);
            ns_event event;
            memset(&event, 0, sizeof event);
            event.kind = NS_EVENT_QUOTE;
            event.symbol = self->symbol;
            event.ts_ns = now_ns;
            event.bid = mid - self->spread / 2;
            event.ask = mid + self->spread / 2;
            event.bid_size = NS_FIXED_SCALE;
            event.ask_size = NS_FIXED_SCALE;
            ns_status status = self->host->emit(self->host->ctx, &event, 1);
            return status == NS_OK ? NS_OK : fail(self, status, "the host did not accept the quote");
        }

        /** Describes the next request; an empty URL completes the cycle (this source fetches nothing). */
        static ns_status source_next_request(void *inst, ns_http_request *out) {
            (void)inst;
            memset(out, 0, sizeof *out);
            return NS_OK;
        }

        /** Parses a response; never called while next_request describes no request. */
        static ns_status source_on_response(void *inst, const ns_http_response *response) {
            (void)response;
            return fail(inst, NS_FATAL, "{{name}} describes no requests");
        }

        static const ns_poll_source_v1 capability_table = {
            .size = sizeof(ns_poll_source_v1),
            .begin_cycle = source_begin_cycle,
            .next_request = source_next_request,
            .on_response = source_on_response,
        };

        #define CONFIG_SCHEMA                                                                                   \
            "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"                             \
            "\"symbol\":{\"type\":\"string\",\"default\":\"AAPL\",\"description\":\"The instrument to quote.\"}," \
            "\"price\":{\"type\":\"number\",\"minimum\":0,\"default\":100,\"description\":\"The first mid.\"},"  \
            "\"step\":{\"type\":\"number\",\"minimum\":0,\"default\":0.5,\"description\":\"Mid move per cycle.\"}," \
            "\"spread\":{\"type\":\"number\",\"minimum\":0,\"default\":0.02,\"description\":\"Ask minus bid.\"}}}"

        """#

    private static let sourceTest = #"""

        /* MARK: - Driving the source */

        static void drive(const ns_plugin_v1 *plugin) {
            const ns_poll_source_v1 *source = plugin->poll_source;
            CHECK((plugin->kinds & NS_KIND_POLL_SOURCE) && source && source->begin_cycle && source->next_request &&
                      source->on_response,
                  "declares a poll source with begin_cycle, next_request and on_response");
            if (!source || !source->begin_cycle || !source->next_request) return;

            fake_host bad = { .config = { { "step", "abc" } }, .n_config = 1 };
            ns_host host = make_host(&bad);
            void *instance = NULL;
            ns_str error = { NULL, 0 };
            CHECK(plugin->create(&host, make_str("test"), make_str("{}"), &instance, &error) == NS_INVALID_CONFIG,
                  "create with a malformed step is a configuration error");

            fake_host fake = { .config = { { "symbol", "MSFT" }, { "price", "50" }, { "step", "0.5" } }, .n_config = 3 };
            host = make_host(&fake);
            if (plugin->create(&host, make_str("test"), make_str("{}"), &instance, &error) != NS_OK) {
                CHECK(0, "create with a valid configuration");
                return;
            }
            CHECK(source->begin_cycle(instance, host_now(NULL)) == NS_OK && fake.n_events == 1,
                  "the first cycle emits one event");
            ns_event first = fake.events[0];
            CHECK(first.kind == NS_EVENT_QUOTE && first.symbol == host_intern(&fake, make_str("MSFT")) &&
                      first.bid < first.ask,
                  "it is a quote for MSFT with the bid below the ask");
            CHECK(first.bid + first.ask == 2 * FIXED(50), "the first mid is the configured price");
            ns_http_request request;
            CHECK(source->next_request(instance, &request) == NS_OK && request.url.len == 0,
                  "next_request completes the cycle without a request");
            source->begin_cycle(instance, host_now(NULL) + 1000000000LL);
            CHECK(fake.n_events == 2 && fake.events[1].bid + fake.events[1].ask == 2 * FIXED(50.5),
                  "the second cycle's mid is one step up");
            plugin->destroy(instance);
        }

        """#
}
