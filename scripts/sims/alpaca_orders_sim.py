#!/usr/bin/env python3
"""A simulator of Alpaca's trading API orders endpoints on 127.0.0.1, with faults chosen by flags.

Prints the port it listens on as the first line of stdout, then serves until killed (or, with --watch-stdin, until
stdin reaches end of file).

Endpoints, in the documented shapes (JSON bodies; quantities and prices as decimal strings):
  POST /v2/orders                    body {"symbol","qty","side","type","time_in_force","limit_price",
                                     "client_order_id"} -> 200 with the order object
  GET  /v2/orders:by_client_order_id?client_order_id=ID -> 200 with the order object, or 404
  GET  /v2/orders/{id}               the order by its venue id, or 404
  GET  /_sim/stats                   {"requests","orders","duplicates","rate_limited","timeouts","unauthorized",
                                     "invalid","rejected","failed"} so tests can assert, e.g., that no order was
                                     duplicated
  POST /_sim/faults?fail=N&rate_limit=N&timeout_after_accept=N  adds N more of each fault while the simulator runs
                                     (fail: 500 {"code":50010000,"message":"internal server error"}); answers the
                                     armed counters

Every /v2 request needs the headers APCA-API-KEY-ID and APCA-API-SECRET-KEY (--key, --secret), else
401 {"code":40110000,"message":"request is not authorized"}. Errors are {"code":N,"message":".."}: 422 for an
invalid body, 422 "client_order_id must be unique" for a client_order_id seen before (counted in "duplicates"),
403 "insufficient buying power" for --reject-symbol, 404 "order not found", 429 "rate limit exceeded".

Order object: id, client_order_id, created_at, updated_at, submitted_at, filled_at, expired_at, canceled_at,
failed_at, asset_id, symbol, asset_class, notional, qty, filled_qty, filled_avg_price, order_class, order_type, type,
side, time_in_force, limit_price, stop_price, status, extended_hours. Market orders fill at --price, limit orders at
their limit price.

Fills: by default an order is filled in full when accepted (status "filled"). With --partial it is accepted as "new"
and fills in --partial-steps equal parts: one part per lookup of the order, and one per --fill-interval seconds when
that is above 0 — "partially_filled" until the last part, then "filled".

Faults:
  --timeout-after-accept [N]  accept the first N orders (default 1), then hold the request for --hang seconds and
                              close the connection without an answer: the client's outcome is unknown
  --rate-limit N              answer the first N /v2 requests 429 without acting on them
  --partial                   partial fills over time, as above
"""

import argparse
import json
import os
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation, ROUND_DOWN
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SIDES = ("buy", "sell")
TYPES = ("market", "limit")
TIME_IN_FORCE = ("day", "gtc", "opg", "cls", "ioc", "fok")


def now_text():
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def decimal_text(value):
    return format(value.normalize(), "f")


class Book:
    """Orders by client order id, with the fill model and the counters, behind one lock."""

    def __init__(self, options):
        self.options = options
        self.lock = threading.Lock()
        self.orders = {}
        self.by_id = {}
        self.stats = {"requests": 0, "orders": 0, "duplicates": 0, "rate_limited": 0, "timeouts": 0,
                      "unauthorized": 0, "invalid": 0, "rejected": 0, "failed": 0}
        # Faults armed while running through /_sim/faults (the flags' counts apply from the start instead).
        self.armed = {"fail": 0, "rate_limit": 0, "timeout_after_accept": 0}

    def take(self, fault):
        """Whether an armed `fault` applies to this request (and uses it up); call with the lock held."""
        if self.armed[fault] <= 0:
            return False
        self.armed[fault] -= 1
        return True

    def advance(self, order, lookup):
        """Moves a partially filled order on: one step per lookup and per elapsed --fill-interval."""
        if order["status"] not in ("new", "partially_filled") or not self.options.partial:
            return
        steps = self.options.partial_steps
        if lookup:
            order["_steps"] += 1
        interval = self.options.fill_interval
        elapsed = int((time.monotonic() - order["_created"]) / interval) if interval > 0 else 0
        done = min(steps, order["_steps"] + elapsed)
        qty = Decimal(order["qty"])
        filled = qty if done >= steps else (qty * done / steps).quantize(Decimal("0.000000001"), ROUND_DOWN)
        if filled <= Decimal(order["filled_qty"]):
            return
        order["filled_qty"] = decimal_text(filled)
        order["filled_avg_price"] = order["_price"]
        order["updated_at"] = now_text()
        if filled >= qty:
            order["status"] = "filled"
            order["filled_at"] = order["updated_at"]
        else:
            order["status"] = "partially_filled"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "alpaca-orders-sim"

    @property
    def book(self):
        return self.server.book

    def log_message(self, format, *args):
        pass

    # MARK: - Responses

    def reply(self, status, body):
        data = (json.dumps(body, separators=(",", ":")) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        self.reply(status, {"code": code, "message": message})

    @staticmethod
    def public(order):
        return {key: value for key, value in order.items() if not key.startswith("_")}

    # MARK: - Routing

    def gate(self):
        """Counts the request and applies rate limiting and authentication; False when answered already."""
        options = self.book.options
        with self.book.lock:
            self.book.stats["requests"] += 1
            failed = False
            if self.book.stats["rate_limited"] < options.rate_limit or self.book.take("rate_limit"):
                self.book.stats["rate_limited"] += 1
                limited = True
            else:
                limited = False
                failed = self.book.take("fail")
                if failed:
                    self.book.stats["failed"] += 1
        if limited:
            self.read_body()
            self.error(429, 42910000, "rate limit exceeded")
            return False
        if failed:
            self.read_body()
            self.error(500, 50010000, "internal server error")
            return False
        if self.headers.get("APCA-API-KEY-ID") != options.key or \
                self.headers.get("APCA-API-SECRET-KEY") != options.secret:
            with self.book.lock:
                self.book.stats["unauthorized"] += 1
            self.read_body()
            self.error(401, 40110000, "request is not authorized")
            return False
        return True

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_sim/stats":
            with self.book.lock:
                return self.reply(200, dict(self.book.stats))
        if not url.path.startswith("/v2/"):
            return self.error(404, 40410000, "not found")
        if not self.gate():
            return
        with self.book.lock:
            if url.path == "/v2/orders:by_client_order_id":
                wanted = parse_qs(url.query).get("client_order_id", [""])[-1]
                order = self.book.orders.get(wanted)
            elif url.path.startswith("/v2/orders/"):
                order = self.book.by_id.get(url.path[len("/v2/orders/"):])
            else:
                return self.error(404, 40410000, "not found")
            if order is None:
                return self.error(404, 40410000, "order not found")
            self.book.advance(order, lookup=True)
            return self.reply(200, self.public(order))

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path == "/_sim/faults":
            self.read_body()
            with self.book.lock:
                try:
                    for key, values in parse_qs(url.query).items():
                        if key not in self.book.armed:
                            return self.error(400, 40010000, "unknown fault %s" % key)
                        self.book.armed[key] += int(values[-1])
                except ValueError:
                    return self.error(400, 40010000, "counts are integers")
                return self.reply(200, dict(self.book.armed))
        if url.path != "/v2/orders":
            self.read_body()
            return self.error(404, 40410000, "not found")
        if not self.gate():
            return
        try:
            body = json.loads(self.read_body() or b"null")
        except ValueError:
            body = None
        order, problem = self.validate(body)
        if problem:
            with self.book.lock:
                self.book.stats["invalid"] += 1
            return self.error(422, 40010001, problem)
        options = self.book.options
        with self.book.lock:
            if order["client_order_id"] in self.book.orders:
                self.book.stats["duplicates"] += 1
                return self.error(422, 40010001, "client_order_id must be unique")
            if order["symbol"] in options.reject_symbol:
                self.book.stats["rejected"] += 1
                return self.error(403, 40310000, "insufficient buying power")
            self.book.orders[order["client_order_id"]] = order
            self.book.by_id[order["id"]] = order
            self.book.stats["orders"] += 1
            hang = self.book.stats["orders"] <= options.timeout_after_accept or self.book.take("timeout_after_accept")
            if hang:
                self.book.stats["timeouts"] += 1
            elif options.partial:
                self.book.advance(order, lookup=False)
            answer = self.public(order)
        if hang:
            time.sleep(options.hang)
            self.close_connection = True
            return
        self.reply(200, answer)

    def validate(self, body):
        """The new order, or the reason the body is not one."""
        if not isinstance(body, dict):
            return None, "request body must be a JSON object"
        symbol = body.get("symbol")
        if not isinstance(symbol, str) or not symbol:
            return None, "symbol is required"
        try:
            qty = Decimal(str(body.get("qty")))
        except InvalidOperation:
            return None, "qty is required"
        if not qty.is_finite() or qty <= 0:
            return None, "qty must be positive"
        if body.get("side") not in SIDES:
            return None, "invalid side"
        if body.get("type") not in TYPES:
            return None, "invalid order type"
        if body.get("time_in_force") not in TIME_IN_FORCE:
            return None, "invalid time_in_force"
        limit = None
        if body["type"] == "limit":
            try:
                limit = Decimal(str(body.get("limit_price")))
            except InvalidOperation:
                return None, "limit_price is required for limit orders"
            if not limit.is_finite() or limit <= 0:
                return None, "limit_price must be positive"
        client_order_id = body.get("client_order_id")
        if client_order_id is None:
            client_order_id = str(uuid.uuid4())
        if not isinstance(client_order_id, str) or not 0 < len(client_order_id) <= 128:
            return None, "client_order_id must be no more than 128 characters"
        price = decimal_text(limit) if limit is not None else self.book.options.price
        created = now_text()
        filled = not self.book.options.partial
        order = {
            "id": str(uuid.uuid4()), "client_order_id": client_order_id, "created_at": created,
            "updated_at": created, "submitted_at": created, "filled_at": created if filled else None,
            "expired_at": None, "canceled_at": None, "failed_at": None,
            "asset_id": str(uuid.uuid5(uuid.NAMESPACE_DNS, symbol)),
            "symbol": symbol, "asset_class": "us_equity", "notional": None, "qty": decimal_text(qty),
            "filled_qty": decimal_text(qty) if filled else "0", "filled_avg_price": price if filled else None,
            "order_class": "", "order_type": body["type"], "type": body["type"], "side": body["side"],
            "time_in_force": body["time_in_force"], "limit_price": decimal_text(limit) if limit is not None else None,
            "stop_price": None, "status": "filled" if filled else "new", "extended_hours": False,
            "_price": price, "_steps": 0, "_created": time.monotonic(),
        }
        return order, None


def watch_stdin():
    """Exits the process when stdin closes: the test that started the simulator has gone."""
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", default="test-key", help="the APCA-API-KEY-ID header expected")
    parser.add_argument("--secret", default="test-secret", help="the APCA-API-SECRET-KEY header expected")
    parser.add_argument("--price", default="100", help="fill price of market orders (default 100)")
    parser.add_argument("--partial", action="store_true", help="fill orders in parts over time")
    parser.add_argument("--partial-steps", type=int, default=3, help="parts per order with --partial (default 3)")
    parser.add_argument("--fill-interval", type=float, default=0.0, help="seconds per part; 0: lookups only")
    parser.add_argument("--timeout-after-accept", type=int, nargs="?", const=1, default=0, metavar="N",
                        help="accept the first N orders but never answer them")
    parser.add_argument("--hang", type=float, default=30.0, help="seconds to hold an unanswered request")
    parser.add_argument("--rate-limit", type=int, default=0, metavar="N", help="answer the first N requests 429")
    parser.add_argument("--reject-symbol", action="append", default=[], help="refuse orders for this symbol (403)")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches end of file")
    options = parser.parse_args()
    if options.partial_steps < 1:
        parser.error("--partial-steps must be at least 1")
    try:
        options.price = decimal_text(Decimal(options.price))
    except InvalidOperation:
        parser.error("--price must be a decimal number")
    if options.watch_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.book = Book(options)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
