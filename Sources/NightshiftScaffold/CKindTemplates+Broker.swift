/// The generated C broker: fills orders in full at the last quote, remembering them for `query`.
extension CKindTemplates {
    static let broker = CKindTemplate(
        summary: """
             * A broker that fills each order in full at the last quote it has seen for the symbol: buys at the ask,
             * sells at the bid. Orders without a quote, and limit orders that are not marketable, are rejected with a
             * reason. The last 256 orders are remembered by client order id, so a resubmission returns the first
             * answer instead of trading twice and query() can reconcile.
            """,
        configuration: """
             *   venue_prefix  string, default "{{name}}"  prefix of the venue order ids this broker assigns
            """,
        description: "Fills orders in full at the last seen quote.",
        kindBit: "NS_KIND_BROKER", capabilityField: "broker", body: brokerBody, test: brokerTest)

    private static let brokerBody = #"""

        /* MARK: - Instance */

        #define MAX_SYMBOLS 64
        #define MAX_ORDERS 256

        /** One order's last known state; the update's strings point into the record. */
        typedef struct order_record {
            char client_order_id[64];
            char venue_order_id[40];
            char reason[96];
            ns_order_update update;
        } order_record;

        typedef struct plugin_state {
            const ns_host *host;
            char venue_prefix[24];
            struct { uint32_t symbol; int64_t bid, ask; } quotes[MAX_SYMBOLS];
            size_t n_quotes;
            order_record orders[MAX_ORDERS]; /* a ring: the oldest order is forgotten first */
            size_t n_orders;
            unsigned long long sequence;
            order_record unknown;            /* the answer to a query for an id never seen */
            char error[256];                 /* last_error text, valid until the next error */
        } plugin_state;

        static ns_status fail(plugin_state *self, ns_status status, const char *message) {
            snprintf(self->error, sizeof self->error, "%s", message);
            return status;
        }

        static order_record *find_order(plugin_state *self, ns_str id) {
            size_t count = self->n_orders < MAX_ORDERS ? self->n_orders : MAX_ORDERS;
            for (size_t i = 0; i < count; i++) {
                order_record *record = &self->orders[i];
                if (strlen(record->client_order_id) == id.len && memcmp(record->client_order_id, id.ptr, id.len) == 0)
                    return record;
            }
            return NULL;
        }

        /** Fills in a record's update as rejected with `reason`. */
        static void reject(order_record *record, const char *reason) {
            snprintf(record->reason, sizeof record->reason, "%s", reason);
            record->update.status = NS_ORDER_STATUS_REJECTED;
            record->update.reason = make_str(record->reason);
        }

        /* MARK: - Entry points */

        static ns_status plugin_create(const ns_host *host, ns_str instance_name, ns_str config_json, void **out_instance,
                                       ns_str *error) {
            (void)instance_name;
            (void)config_json; /* values are read by path through host->config_get */
            plugin_state *self = calloc(1, sizeof *self);
            if (!self) CREATE_FAIL(NS_FATAL, "out of memory");
            if (!host || host->abi_major != NS_ABI_MAJOR) CREATE_FAIL(NS_FATAL, "{{name}} needs a v%d host", NS_ABI_MAJOR);
            self->host = host;
            if (!config_copy(host, "venue_prefix", "{{name}}", self->venue_prefix, sizeof self->venue_prefix) ||
                self->venue_prefix[0] == '\0')
                CREATE_FAIL(NS_INVALID_CONFIG, "venue_prefix: expected 1 to 23 bytes");
            *out_instance = self;
            return NS_OK;
        }

        static void plugin_destroy(void *inst) { free(inst); }

        static ns_str plugin_last_error(void *inst) {
            plugin_state *self = inst;
            return make_str(self ? self->error : "");
        }

        static ns_status broker_on_events(void *inst, const ns_event *events, size_t n) {
            plugin_state *self = inst;
            for (size_t i = 0; i < n; i++) {
                const ns_event *event = &events[i];
                if (event->kind != NS_EVENT_QUOTE || event->bid <= 0 || event->ask < event->bid) continue;
                size_t slot = 0;
                while (slot < self->n_quotes && self->quotes[slot].symbol != event->symbol) slot++;
                if (slot == self->n_quotes) {
                    if (self->n_quotes == MAX_SYMBOLS) continue;
                    self->n_quotes++;
                }
                self->quotes[slot].symbol = event->symbol;
                self->quotes[slot].bid = event->bid;
                self->quotes[slot].ask = event->ask;
            }
            return NS_OK;
        }

        static ns_status broker_submit(void *inst, const ns_order *order, ns_order_update *out) {
            plugin_state *self = inst;
            if (!order || !out) return fail(self, NS_FATAL, "submit without an order or an output");
            if (order->client_order_id.len == 0 || order->client_order_id.len >= 64)
                return fail(self, NS_FATAL, "the client order id is empty or longer than 63 bytes");
            order_record *record = find_order(self, order->client_order_id);
            if (record) { /* a resubmission never trades twice */
                *out = record->update;
                return NS_OK;
            }
            record = &self->orders[self->n_orders++ % MAX_ORDERS];
            memset(record, 0, sizeof *record);
            memcpy(record->client_order_id, order->client_order_id.ptr, order->client_order_id.len);
            ns_order_update *update = &record->update;
            update->symbol = order->symbol;
            update->ts_ns = order->ts_ns;
            update->client_order_id = make_str(record->client_order_id);
            size_t slot = 0;
            while (slot < self->n_quotes && self->quotes[slot].symbol != order->symbol) slot++;
            if (slot == self->n_quotes) {
                reject(record, "no quote for this symbol yet");
            } else {
                int buy = order->side == NS_SIDE_BUY;
                int64_t price = buy ? self->quotes[slot].ask : self->quotes[slot].bid;
                if (order->type == NS_ORDER_LIMIT && (buy ? price > order->limit_price : price < order->limit_price)) {
                    reject(record, "the limit order is not marketable");
                } else {
                    snprintf(record->venue_order_id, sizeof record->venue_order_id, "%s-%llu", self->venue_prefix,
                             ++self->sequence);
                    update->status = NS_ORDER_STATUS_FILLED;
                    update->filled_qty = order->qty;
                    update->avg_price = price;
                    update->venue_order_id = make_str(record->venue_order_id);
                }
            }
            *out = *update; /* its strings live in the record: valid until the next call, as the header asks */
            return NS_OK;
        }

        static ns_status broker_query(void *inst, ns_str client_order_id, ns_order_update *out) {
            plugin_state *self = inst;
            if (!out) return fail(self, NS_FATAL, "query without an output");
            order_record *record = find_order(self, client_order_id);
            if (!record) {
                record = &self->unknown;
                memset(record, 0, sizeof *record);
                size_t len = client_order_id.len < 63 ? client_order_id.len : 63;
                if (len) memcpy(record->client_order_id, client_order_id.ptr, len); /* borrowed input: copy it */
                record->update.client_order_id = make_str(record->client_order_id);
                reject(record, "unknown client order id");
            }
            *out = record->update;
            return NS_OK;
        }

        static const ns_broker_v1 capability_table = {
            .size = sizeof(ns_broker_v1),
            .submit = broker_submit,
            .query = broker_query,
            .on_events = broker_on_events,
        };

        #define CONFIG_SCHEMA                                                                                   \
            "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"                             \
            "\"venue_prefix\":{\"type\":\"string\",\"default\":\"{{name}}\","                                   \
            "\"description\":\"Prefix of the venue order ids this broker assigns.\"}}}"

        """#

    private static let brokerTest = #"""

        /* MARK: - Driving the broker */

        static void drive(const ns_plugin_v1 *plugin) {
            const ns_broker_v1 *broker = plugin->broker;
            CHECK((plugin->kinds & NS_KIND_BROKER) && broker && broker->submit && broker->query && broker->on_events,
                  "declares a broker with submit, query and on_events");
            if (!broker || !broker->submit || !broker->query || !broker->on_events) return;

            fake_host fake = { .config = { { "venue_prefix", "v" } }, .n_config = 1 };
            ns_host host = make_host(&fake);
            void *instance = NULL;
            ns_str error = { NULL, 0 };
            if (plugin->create(&host, make_str("test"), make_str("{}"), &instance, &error) != NS_OK) {
                CHECK(0, "create with a valid configuration");
                return;
            }
            uint32_t aapl = host_intern(&fake, make_str("AAPL"));
            ns_order order;
            memset(&order, 0, sizeof order);
            order.symbol = aapl;
            order.side = NS_SIDE_BUY;
            order.type = NS_ORDER_MARKET;
            order.tif = NS_TIF_DAY;
            order.qty = FIXED(3);
            order.client_order_id = make_str("test-1");
            ns_order_update out;
            CHECK(broker->submit(instance, &order, &out) == NS_OK && out.status == NS_ORDER_STATUS_REJECTED,
                  "an order before any quote is rejected");

            ns_event quote;
            memset(&quote, 0, sizeof quote);
            quote.kind = NS_EVENT_QUOTE;
            quote.symbol = aapl;
            quote.bid = FIXED(99.5);
            quote.ask = FIXED(100.25);
            CHECK(broker->on_events(instance, &quote, 1) == NS_OK, "on_events takes a quote");
            order.client_order_id = make_str("test-2");
            CHECK(broker->submit(instance, &order, &out) == NS_OK && out.status == NS_ORDER_STATUS_FILLED &&
                      out.filled_qty == FIXED(3) && out.remaining_qty == 0 && out.avg_price == FIXED(100.25),
                  "a market buy fills in full at the ask");
            CHECK(out.client_order_id.len == 6 && memcmp(out.client_order_id.ptr, "test-2", 6) == 0,
                  "the update carries the client order id");
            CHECK(out.venue_order_id.len == 3 && memcmp(out.venue_order_id.ptr, "v-1", 3) == 0,
                  "the venue order id uses the configured prefix");
            CHECK(broker->query(instance, make_str("test-2"), &out) == NS_OK && out.status == NS_ORDER_STATUS_FILLED,
                  "query finds the filled order");
            CHECK(broker->query(instance, make_str("never-sent"), &out) == NS_OK && out.status == NS_ORDER_STATUS_REJECTED,
                  "query answers an unknown id with a rejection");
            plugin->destroy(instance);
        }

        """#
}
