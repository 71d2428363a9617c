/// The generated C strategy: buys when a symbol's ask drops below a price, once per crossing.
extension CKindTemplates {
    static let strategy = CKindTemplate(
        summary: """
             * A strategy that buys `quantity` of `symbol` when its ask drops below `below`, once per crossing: after a
             * buy it waits until the ask is back at or above `below` before it may buy again.
            """,
        configuration: """
             *   symbol    string, required    the instrument to watch, e.g. "AAPL"
             *   below     number, default 99.5 buy when the ask is strictly below this price
             *   quantity  number, default 1    quantity per order
            """,
        description: "Buys when a symbol's ask drops below a price, once per crossing.",
        kindBit: "NS_KIND_STRATEGY", capabilityField: "strategy", body: strategyBody, test: strategyTest)

    private static let strategyBody = #"""

        /* MARK: - Instance */

        typedef struct plugin_state {
            const ns_host *host;
            uint32_t symbol;
            int64_t below;
            int64_t quantity;
            int armed;          /* whether the next crossing may buy */
            char reason[128];   /* the last order's reason, borrowed by the host during submit_order */
            char error[256];    /* last_error text, valid until the next error */
        } plugin_state;

        static ns_status fail(plugin_state *self, ns_status status, const char *message) {
            snprintf(self->error, sizeof self->error, "%s", message);
            return status;
        }

        static void log_info(plugin_state *self, int32_t level, const char *message) {
            if (HAS_SERVICE(self->host, log)) self->host->log(self->host->ctx, level, make_str(""), make_str(message), NULL, 0);
        }

        /* MARK: - Entry points */

        static ns_status plugin_create(const ns_host *host, ns_str instance_name, ns_str config_json, void **out_instance,
                                       ns_str *error) {
            (void)instance_name;
            (void)config_json; /* values are read by path through host->config_get */
            plugin_state *self = calloc(1, sizeof *self);
            if (!self) CREATE_FAIL(NS_FATAL, "out of memory");
            if (!host || host->abi_major != NS_ABI_MAJOR || !HAS_SERVICE(host, intern) || !HAS_SERVICE(host, submit_order))
                CREATE_FAIL(NS_FATAL, "{{name}} needs a v%d host with intern and submit_order", NS_ABI_MAJOR);
            self->host = host;
            self->armed = 1;

            ns_str symbol;
            if (config_text(host, "symbol", &symbol) != NS_OK || symbol.len == 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "symbol: required string is missing");
            self->symbol = host->intern(host->ctx, symbol);
            if (!config_fixed(host, "below", 99 * NS_FIXED_SCALE + NS_FIXED_SCALE / 2, &self->below) || self->below <= 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "below: expected a positive number");
            if (!config_fixed(host, "quantity", NS_FIXED_SCALE, &self->quantity) || self->quantity <= 0)
                CREATE_FAIL(NS_INVALID_CONFIG, "quantity: expected a positive number");
            *out_instance = self;
            return NS_OK;
        }

        static void plugin_destroy(void *inst) { free(inst); }

        static ns_str plugin_last_error(void *inst) {
            plugin_state *self = inst;
            return make_str(self ? self->error : "");
        }

        static ns_status strategy_on_events(void *inst, const ns_event *events, size_t n) {
            plugin_state *self = inst;
            for (size_t i = 0; i < n; i++) {
                const ns_event *event = &events[i];
                if (event->kind != NS_EVENT_QUOTE || event->symbol != self->symbol || event->ask <= 0) continue;
                if (event->ask >= self->below) {
                    self->armed = 1;
                    continue;
                }
                if (!self->armed) continue;
                self->armed = 0;
                snprintf(self->reason, sizeof self->reason, "ask %lld below %lld (fixed point)",
                         (long long)event->ask, (long long)self->below);
                ns_order order;
                memset(&order, 0, sizeof order);
                order.symbol = self->symbol;
                order.side = NS_SIDE_BUY;
                order.type = NS_ORDER_MARKET;
                order.tif = NS_TIF_DAY;
                order.qty = self->quantity;
                order.ts_ns = event->ts_ns;
                order.reason = make_str(self->reason); /* client_order_id stays empty: the host assigns it */
                if (self->host->submit_order(self->host->ctx, &order) != NS_OK) {
                    /* A risk block is the host's decision, already recorded as trade_blocked: keep watching. */
                    log_info(self, NS_LEVEL_WARNING, "buy not accepted by the host");
                    continue;
                }
                log_info(self, NS_LEVEL_INFO, self->reason);
            }
            return NS_OK;
        }

        static ns_status strategy_on_order_update(void *inst, const ns_order_update *update) {
            plugin_state *self = inst;
            if (!update) return fail(self, NS_FATAL, "on_order_update without an update");
            if (update->status == NS_ORDER_STATUS_REJECTED) log_info(self, NS_LEVEL_WARNING, "order rejected");
            return NS_OK;
        }

        static const ns_strategy_v1 capability_table = {
            .size = sizeof(ns_strategy_v1),
            .on_events = strategy_on_events,
            .on_order_update = strategy_on_order_update,
        };

        #define CONFIG_SCHEMA                                                                                   \
            "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"symbol\"],\"properties\":{"   \
            "\"symbol\":{\"type\":\"string\",\"description\":\"The instrument to watch.\"},"                   \
            "\"below\":{\"type\":\"number\",\"minimum\":0,\"default\":99.5,"                                    \
            "\"description\":\"Buy when the ask is strictly below this price.\"},"                             \
            "\"quantity\":{\"type\":\"number\",\"minimum\":0,\"default\":1,\"description\":\"Per order.\"}}}"

        """#

    private static let strategyTest = #"""

        /* MARK: - Driving the strategy */

        static void send_quote(const ns_plugin_v1 *plugin, void *instance, uint32_t symbol, int64_t bid, int64_t ask) {
            ns_event event;
            memset(&event, 0, sizeof event);
            event.kind = NS_EVENT_QUOTE;
            event.symbol = symbol;
            event.ts_ns = host_now(NULL);
            event.bid = bid;
            event.ask = ask;
            if (plugin->strategy->on_events(instance, &event, 1) != NS_OK) CHECK(0, "on_events returns NS_OK");
        }

        static void drive(const ns_plugin_v1 *plugin) {
            CHECK((plugin->kinds & NS_KIND_STRATEGY) && plugin->strategy && plugin->strategy->on_events,
                  "declares a strategy with on_events");
            if (!plugin->strategy || !plugin->strategy->on_events) return;

            fake_host empty = { .n_config = 0 };
            ns_host host = make_host(&empty);
            void *instance = NULL;
            ns_str error = { NULL, 0 };
            CHECK(plugin->create(&host, make_str("test"), make_str("{}"), &instance, &error) == NS_INVALID_CONFIG,
                  "create without a symbol is a configuration error");

            fake_host fake = { .config = { { "symbol", "AAPL" }, { "below", "100" }, { "quantity", "2" } }, .n_config = 3 };
            host = make_host(&fake);
            if (plugin->create(&host, make_str("test"), make_str("{}"), &instance, &error) != NS_OK) {
                CHECK(0, "create with a valid configuration");
                return;
            }
            uint32_t aapl = host_intern(&fake, make_str("AAPL"));
            send_quote(plugin, instance, aapl, FIXED(100), FIXED(101));
            CHECK(fake.n_orders == 0, "no order while the ask is above the price");
            send_quote(plugin, instance, aapl, FIXED(98), FIXED(99));
            CHECK(fake.n_orders == 1 && fake.orders[0].side == NS_SIDE_BUY && fake.orders[0].qty == FIXED(2) &&
                      fake.orders[0].symbol == aapl,
                  "buys 2 AAPL when the ask drops below 100");
            send_quote(plugin, instance, aapl, FIXED(97), FIXED(98));
            CHECK(fake.n_orders == 1, "no second buy while the ask stays below");
            send_quote(plugin, instance, aapl, FIXED(100), FIXED(100.5));
            send_quote(plugin, instance, aapl, FIXED(98), FIXED(99));
            CHECK(fake.n_orders == 2, "buys again after the ask crossed back");
            plugin->destroy(instance);
        }

        """#
}
