/*
 * A broker whose submit times out after sending (the outcome is unknown), and whose venue then reports the order
 * partially filled on the first query and filled on the second. It logs a `venue_submit` event per submit call so a
 * test can count how many times the host sent the order.
 */
#include <stdlib.h>
#include <string.h>
#include "fixture_plugin.h"

typedef struct { const ns_host *host; int queries; char id[160]; size_t id_len; int64_t qty; uint32_t symbol; } broker;

static ns_str last_error(void *inst) { (void)inst; ns_str s = STR("timed out after sending"); return s; }

static ns_status submit(void *inst, const ns_order *order, ns_order_update *out) {
    broker *self = inst;
    ns_str type = STR("venue_submit"), message = STR("order sent to the venue");
    ns_field field = { STR("client_order_id"), NS_FIELD_STRING, 0, 0, 0.0, order->client_order_id };
    self->host->log(self->host->ctx, NS_LEVEL_INFO, type, message, &field, 1);
    self->id_len = order->client_order_id.len < sizeof(self->id) ? order->client_order_id.len : sizeof(self->id) - 1;
    memcpy(self->id, order->client_order_id.ptr, self->id_len);
    self->qty = order->qty;
    self->symbol = order->symbol;
    memset(out, 0, sizeof(*out));
    out->status = NS_ORDER_STATUS_UNKNOWN;
    return NS_RETRY;
}

static ns_status query(void *inst, ns_str id, ns_order_update *out) {
    broker *self = inst;
    memset(out, 0, sizeof(*out));
    if (id.len != self->id_len || memcmp(id.ptr, self->id, id.len) != 0) {
        out->status = NS_ORDER_STATUS_REJECTED;
        return NS_OK;
    }
    self->queries++;
    out->symbol = self->symbol;
    out->client_order_id.ptr = self->id;
    out->client_order_id.len = self->id_len;
    out->avg_price = 100 * NS_FIXED_SCALE;
    if (self->queries == 1) {
        out->status = NS_ORDER_STATUS_PARTIALLY_FILLED;
        out->filled_qty = self->qty / 2;
    } else {
        out->status = NS_ORDER_STATUS_FILLED;
        out->filled_qty = self->qty;
    }
    out->remaining_qty = self->qty - out->filled_qty;
    return NS_OK;
}

static ns_status create(const ns_host *host, ns_str name, ns_str config, void **out, ns_str *error) {
    (void)name; (void)config; (void)error;
    broker *self = calloc(1, sizeof(broker));
    self->host = host;
    *out = self;
    return NS_OK;
}
static void destroy(void *inst) { free(inst); }

static const ns_broker_v1 table = { sizeof(ns_broker_v1), 0, submit, query, NULL };
NS_FIXTURE_PLUGIN("uncertain-broker", "times out after sending",
                  "{\"type\":\"object\"}",
                  NS_KIND_BROKER, broker, table, create, destroy, last_error)
