/*
 * A strategy that submits `orders` market buys of `quantity` on the first batch it sees, all at once: the position
 * limit must count orders still in flight, not only fills.
 */
#include <stdlib.h>
#include <string.h>
#include "fixture_plugin.h"

typedef struct { const ns_host *host; long orders; int64_t quantity; int done; } burst;

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR(""); return s; }

static ns_status on_events(void *inst, const ns_event *events, size_t n) {
    burst *self = inst;
    if (self->done || n == 0) return NS_OK;
    self->done = 1;
    for (long i = 0; i < self->orders; i++) {
        ns_order order;
        memset(&order, 0, sizeof(order));
        order.symbol = events[0].symbol;
        order.side = NS_SIDE_BUY;
        order.type = NS_ORDER_MARKET;
        order.tif = NS_TIF_DAY;
        order.qty = self->quantity;
        self->host->submit_order(self->host->ctx, &order);  /* a risk block is an event, not a failure */
    }
    return NS_OK;
}

static long number(const ns_host *host, const char *key, long fallback) {
    ns_str path = { key, strlen(key) }, value = { NULL, 0 };
    if (host->config_get(host->ctx, path, &value) != NS_OK || value.len == 0 || value.len > 30) return fallback;
    char text[32];
    memcpy(text, value.ptr, value.len);
    text[value.len] = 0;
    return strtol(text, NULL, 10);
}

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    burst *self = calloc(1, sizeof(burst));
    self->host = host;
    self->orders = number(host, "orders", 10);
    self->quantity = number(host, "quantity", 1) * NS_FIXED_SCALE;
    *out = self;
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_strategy_v1 strategy = { sizeof(ns_strategy_v1), 0, on_events, NULL };
NS_FIXTURE_PLUGIN("burst", "submits a burst of orders at once",
                  "{\"type\":\"object\",\"properties\":{\"orders\":{\"type\":\"integer\"},\"quantity\":{\"type\":\"integer\"}}}",
                  NS_KIND_STRATEGY, strategy, strategy, create, destroy, last_error)
