#!/usr/bin/env python3
"""A local simulator of Kalshi's trade API v2 for daily-high temperature markets, following the documented shapes.

Prints the port it listens on (127.0.0.1 only) as the first line of stdout, then serves until killed. The API root is
http://127.0.0.1:<port>/trade-api/v2.

Market data (no signature needed):
  GET /trade-api/v2/markets[?series_ticker=&event_ticker=&tickers=&status=open|closed|settled|unopened&limit=&cursor=]
      -> {"markets": [...], "cursor": ""}   (prices in cents: yes_bid, yes_ask, no_bid, no_ask, last_price;
                                              strike_type less|between|greater with floor_strike / cap_strike)
  GET /trade-api/v2/markets/{ticker} -> {"market": {...}} | 404
Portfolio (every request signed: KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP in ms, KALSHI-ACCESS-SIGNATURE =
base64 RSA-PSS SHA-256, salt = digest length, over timestamp + METHOD + path without query; checked against
--public-key, else 401):
  POST /trade-api/v2/portfolio/orders  {ticker, client_order_id, side yes|no, action buy|sell, count, type limit,
       yes_price|no_price (cents), time_in_force?}  -> 201 {"order": {...}}; 400/404 {"error": {code, message}}
       A client_order_id seen before returns the existing order (200) and counts a duplicate submission.
  GET  /trade-api/v2/portfolio/orders[?ticker=&event_ticker=&status=resting|canceled|executed&limit=&cursor=]
       -> {"orders": [...], "cursor": ""}   (newest first)
  GET  /trade-api/v2/portfolio/orders/{order_id} -> {"order": {...}} | 404
  DELETE /trade-api/v2/portfolio/orders/{order_id} -> {"order": {... "status": "canceled"}, "reduced_by": n}
Control (not part of the API):
  GET  /_sim/stats -> {"requests", "orders", "duplicate_submissions", "auth_failures", "rate_limited", "stalled"}
  POST /_sim/markets/{ticker}  {"yes_bid": c, "yes_ask": c, "status": s, "last_price": c} -> {"market": {...}}
  POST /_sim/faults?fail=N&rate_limit=N&hang=N&timeout_after_accept=N -> the armed counters: adds N more of each
       fault while the simulator runs (fail: 503; hang: answered after --stall seconds; the others as below)

Matching: a buy executes at the ask on its side when its limit reaches it (a sell at the bid); otherwise a limit
order rests. immediate_or_cancel cancels what does not fill at once; fill_or_kill fills all or cancels.

Options:
  --public-key PEM     RSA public key that verifies signatures (required unless --no-auth)
  --key-id ID          the only KALSHI-ACCESS-KEY accepted (default: any)
  --no-auth            skip signature checks
  --max-skew SECONDS   refuse timestamps further than this from the clock (default 0 = no check)
  --series S           a weather series to list (repeatable; default KXHIGHNY)
  --date YYYY-MM-DD    the markets' day (default: tomorrow, UTC)
  --center F, --sigma F, --spread CENTS, --seed N   market pricing (defaults 45, 3, 4, 1)
Faults:
  --rate-limit N            the first N API requests get 429 without Retry-After
  --timeout-after-accept [N]  the first N (default 1) order POSTs are accepted, then answered only after
                            --stall SECONDS (default 30), beyond any sensible client timeout
  --partial                 marketable orders fill half at once, the rest one chunk per --fill-interval seconds
                            (default 0.5) as later requests observe it
  --watch-stdin, --verbose, --port

Python standard library only.
"""

import argparse
import base64
import binascii
import datetime
import json
import os
import sys
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kalshi_markets  # noqa: E402
import rsa_pss  # noqa: E402
from sim_server import JSONHandler, serve  # noqa: E402

PREFIX = "/trade-api/v2"
STATUS_FILTER = {"open": "active", "closed": "closed", "settled": "settled", "unopened": "initialized"}
TIME_IN_FORCE = {None, "good_till_canceled", "immediate_or_cancel", "fill_or_kill"}


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Exchange:
    """Markets, orders and counters, guarded by one lock."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.markets = {}
        for series in args.series:
            for market in kalshi_markets.make_markets(series, args.date, args.center, args.sigma, args.spread,
                                                      args.seed):
                self.markets[market["ticker"]] = market
        self.orders = []
        self.by_id = {}
        self.by_client = {}
        self.stats = {"requests": 0, "orders": 0, "duplicate_submissions": 0, "auth_failures": 0,
                      "rate_limited": 0, "stalled": 0, "failed": 0, "hung": 0}
        self.rate_limit = args.rate_limit
        self.stalls = args.timeout_after_accept
        self.fail = 0
        self.hang = 0

    def arm(self, query):
        """Adds the counts in a /_sim/faults query to the pending faults; returns what is armed now."""
        names = {"fail": "fail", "rate_limit": "rate_limit", "hang": "hang", "timeout_after_accept": "stalls"}
        with self.lock:
            for key, values in query.items():
                if key not in names:
                    raise ApiError(400, "invalid_parameters", "unknown fault %s" % key)
                setattr(self, names[key], getattr(self, names[key]) + int(values[-1]))
            return {key: getattr(self, name) for key, name in names.items()}

    # MARK: orders

    def create(self, body):
        """(status, order, stall) for a POST body; raises ApiError for an invalid order."""
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_parameters", "body must be a JSON object")
        ticker = body.get("ticker")
        side = body.get("side")
        action = body.get("action")
        count = body.get("count")
        order_type = body.get("type", "limit")
        tif = body.get("time_in_force")
        client_id = body.get("client_order_id")
        if not isinstance(ticker, str) or not ticker:
            raise ApiError(400, "invalid_parameters", "ticker is required")
        if side not in ("yes", "no") or action not in ("buy", "sell"):
            raise ApiError(400, "invalid_parameters", "side must be yes|no and action buy|sell")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ApiError(400, "invalid_parameters", "count must be a positive integer")
        if order_type != "limit":
            raise ApiError(400, "invalid_parameters", "the simulator accepts limit orders only")
        if tif not in TIME_IN_FORCE:
            raise ApiError(400, "invalid_parameters", "unknown time_in_force %s" % tif)
        prices = [(key, body.get(key)) for key in ("yes_price", "no_price") if body.get(key) is not None]
        if len(prices) != 1 or not isinstance(prices[0][1], int) or not 1 <= prices[0][1] <= 99:
            raise ApiError(400, "invalid_parameters", "give exactly one of yes_price or no_price, 1 to 99 cents")
        if client_id is not None and (not isinstance(client_id, str) or not client_id or len(client_id) > 128):
            raise ApiError(400, "invalid_parameters", "client_order_id must be a non-empty string")
        with self.lock:
            if client_id is not None and client_id in self.by_client:
                self.stats["duplicate_submissions"] += 1
                order = self.by_id[self.by_client[client_id]]
                self._advance(order)
                return 200, dict(order), False
            market = self.markets.get(ticker)
            if market is None:
                raise ApiError(404, "market_not_found", "market %s not found" % ticker)
            if market["status"] != "active":
                raise ApiError(400, "market_closed", "market %s is not open for trading" % ticker)
            yes_price = prices[0][1] if prices[0][0] == "yes_price" else 100 - prices[0][1]
            limit = yes_price if side == "yes" else 100 - yes_price
            self.stats["orders"] += 1
            now = datetime.datetime.now(datetime.timezone.utc)
            order = {
                "order_id": "sim-%06d" % self.stats["orders"],
                "user_id": "sim-user",
                "client_order_id": client_id or "sim-client-%06d" % self.stats["orders"],
                "ticker": ticker,
                "side": side,
                "action": action,
                "type": "limit",
                "status": "resting",
                "yes_price": yes_price,
                "no_price": 100 - yes_price,
                "fill_count": 0,
                "remaining_count": count,
                "initial_count": count,
                "taker_fees": 0,
                "maker_fees": 0,
                "taker_fill_cost": 0,
                "maker_fill_cost": 0,
                "queue_position": 0,
                "expiration_time": None,
                "created_time": kalshi_markets.iso(now),
                "last_update_time": kalshi_markets.iso(now),
                "self_trade_prevention_type": None,
                "order_group_id": None,
                "_created": time.monotonic(),
                "_limit": limit,
                "_tif": tif,
                "_steps": 0,
            }
            self._match_on_entry(order, market)
            self.orders.append(order)
            self.by_id[order["order_id"]] = order
            self.by_client[order["client_order_id"]] = order["order_id"]
            stall = self.stalls > 0
            if stall:
                self.stalls -= 1
                self.stats["stalled"] += 1
            return 201, dict(order), stall

    def _fill(self, order, quantity, price):
        quantity = min(quantity, order["remaining_count"])
        if quantity <= 0:
            return
        order["fill_count"] += quantity
        order["remaining_count"] -= quantity
        order["taker_fill_cost"] += quantity * price
        if order["remaining_count"] == 0:
            order["status"] = "executed"
        order["last_update_time"] = kalshi_markets.iso(datetime.datetime.now(datetime.timezone.utc))

    def _cancel_rest(self, order):
        order["remaining_count"] = 0
        order["status"] = "executed" if order["fill_count"] == order["initial_count"] else "canceled"

    def _match_on_entry(self, order, market):
        price = kalshi_markets.execution_price(market, order["side"], order["action"], order["_limit"])
        tif = order["_tif"]
        if price is None:
            if tif in ("immediate_or_cancel", "fill_or_kill"):
                self._cancel_rest(order)
            return
        if tif == "fill_or_kill" or not self.args.partial:
            self._fill(order, order["initial_count"], price)
        else:
            self._fill(order, order["initial_count"] // 2, price)
            if tif == "immediate_or_cancel":
                self._cancel_rest(order)

    def _advance(self, order):
        """Applies the partial fills due by now (only --partial orders that are resting and marketable)."""
        if order["status"] != "resting" or not self.args.partial:
            return
        due = int((time.monotonic() - order["_created"]) / self.args.fill_interval)
        market = self.markets.get(order["ticker"])
        while order["_steps"] < due and order["status"] == "resting" and market is not None:
            price = kalshi_markets.execution_price(market, order["side"], order["action"], order["_limit"])
            if price is None:
                break
            order["_steps"] += 1
            self._fill(order, max(1, order["remaining_count"] // 2), price)

    def order_view(self, order):
        self._advance(order)
        return {key: value for key, value in order.items() if not key.startswith("_")}

    def list_orders(self, query):
        with self.lock:
            selected = []
            for order in reversed(self.orders):
                view = self.order_view(order)
                if "ticker" in query and view["ticker"] != query["ticker"][0]:
                    continue
                if "event_ticker" in query and not view["ticker"].startswith(query["event_ticker"][0] + "-"):
                    continue
                if "status" in query and view["status"] != query["status"][0]:
                    continue
                selected.append(view)
        return paginate(selected, query, "orders", default_limit=100)

    def get_order(self, order_id):
        with self.lock:
            order = self.by_id.get(order_id)
            if order is None:
                raise ApiError(404, "not_found", "order %s not found" % order_id)
            return self.order_view(order)

    def cancel(self, order_id):
        with self.lock:
            order = self.by_id.get(order_id)
            if order is None:
                raise ApiError(404, "not_found", "order %s not found" % order_id)
            self._advance(order)
            reduced = order["remaining_count"]
            if order["status"] == "resting":
                order["remaining_count"] = 0
                order["status"] = "canceled"
            return {"order": self.order_view(order), "reduced_by": reduced}

    # MARK: markets

    def list_markets(self, query):
        tickers = set(",".join(query.get("tickers", [])).split(",")) - {""}
        status = query.get("status", [""])[0]
        with self.lock:
            selected = []
            for market in self.markets.values():
                if "series_ticker" in query and not market["ticker"].startswith(query["series_ticker"][0] + "-"):
                    continue
                if "event_ticker" in query and market["event_ticker"] != query["event_ticker"][0]:
                    continue
                if tickers and market["ticker"] not in tickers:
                    continue
                if status and market["status"] != STATUS_FILTER.get(status, status):
                    continue
                selected.append(dict(market))
        return paginate(selected, query, "markets", default_limit=100)

    def get_market(self, ticker):
        with self.lock:
            market = self.markets.get(ticker)
            if market is None:
                raise ApiError(404, "not_found", "market %s not found" % ticker)
            return {"market": dict(market)}

    def update_market(self, ticker, body):
        with self.lock:
            market = self.markets.get(ticker)
            if market is None:
                raise ApiError(404, "not_found", "market %s not found" % ticker)
            kalshi_markets.set_quotes(market, body.get("yes_bid"), body.get("yes_ask"))
            for key in ("status", "last_price"):
                if key in body:
                    market[key] = body[key]
            return {"market": dict(market)}


def paginate(items, query, key, default_limit):
    try:
        limit = int(query.get("limit", [default_limit])[0])
        start = int(query.get("cursor", ["0"])[0] or 0)
    except ValueError:
        raise ApiError(400, "invalid_parameters", "limit and cursor must be integers")
    if not 1 <= limit <= 1000 or start < 0:
        raise ApiError(400, "invalid_parameters", "limit must be 1 to 1000")
    page = items[start:start + limit]
    cursor = str(start + limit) if start + limit < len(items) else ""
    return {key: page, "cursor": cursor}


def make_handler(args, exchange, public_key):
    class Handler(JSONHandler):
        def do_GET(self):
            self.dispatch("GET")

        def do_POST(self):
            self.dispatch("POST")

        def do_DELETE(self):
            self.dispatch("DELETE")

        def dispatch(self, method):
            url = urlsplit(self.path)
            body = self.read_body()
            if url.path.startswith("/_sim/"):
                return self.control(method, url.path, body)
            with exchange.lock:
                exchange.stats["requests"] += 1
                limited = exchange.rate_limit > 0
                if limited:
                    exchange.rate_limit -= 1
                    exchange.stats["rate_limited"] += 1
                failed = not limited and exchange.fail > 0
                if failed:
                    exchange.fail -= 1
                    exchange.stats["failed"] += 1
                hung = not limited and not failed and exchange.hang > 0
                if hung:
                    exchange.hang -= 1
                    exchange.stats["hung"] += 1
            if limited:
                return self.send_json(429, {"error": {"code": "too_many_requests", "message": "rate limit exceeded"}})
            if failed:
                return self.send_json(503, {"error": {"code": "service_unavailable", "message": "try again later"}})
            if hung:
                time.sleep(args.stall)
            try:
                self.route(method, url, body)
            except ApiError as error:
                self.send_json(error.status, {"error": {"code": error.code, "message": error.message}})

        def route(self, method, url, body):
            if not url.path.startswith(PREFIX + "/"):
                raise ApiError(404, "not_found", "no route %s" % url.path)
            path = url.path[len(PREFIX):]
            query = parse_qs(url.query)
            parts = [unquote(part) for part in path.strip("/").split("/")]
            if method == "GET" and parts == ["exchange", "status"]:
                return self.send_json(200, {"exchange_active": True, "trading_active": True})
            if method == "GET" and parts == ["markets"]:
                return self.send_json(200, exchange.list_markets(query))
            if method == "GET" and len(parts) == 2 and parts[0] == "markets":
                return self.send_json(200, exchange.get_market(parts[1]))
            if parts[:2] != ["portfolio", "orders"] or len(parts) > 3:
                raise ApiError(404, "not_found", "no route %s %s" % (method, url.path))
            self.authenticate(method, url.path)
            if method == "POST" and len(parts) == 2:
                return self.create(body)
            if method == "GET" and len(parts) == 2:
                return self.send_json(200, exchange.list_orders(query))
            if method == "GET":
                return self.send_json(200, {"order": exchange.get_order(parts[2])})
            if method == "DELETE" and len(parts) == 3:
                return self.send_json(200, exchange.cancel(parts[2]))
            raise ApiError(404, "not_found", "no route %s %s" % (method, url.path))

        def create(self, body):
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ApiError(400, "invalid_parameters", "body is not JSON")
            status, order, stall = exchange.create(parsed)
            if stall:
                time.sleep(args.stall)
            self.send_json(status, {"order": {k: v for k, v in order.items() if not k.startswith("_")}})

        def authenticate(self, method, path):
            if args.no_auth:
                return
            key = self.headers.get("KALSHI-ACCESS-KEY")
            stamp = self.headers.get("KALSHI-ACCESS-TIMESTAMP") or ""
            signature = self.headers.get("KALSHI-ACCESS-SIGNATURE") or ""
            reason = None
            if not key or not stamp.isdigit() or not signature:
                reason = "missing or malformed authentication headers"
            elif args.key_id is not None and key != args.key_id:
                reason = "unknown access key"
            elif args.max_skew > 0 and abs(int(stamp) / 1000.0 - time.time()) > args.max_skew:
                reason = "timestamp outside the allowed window"
            else:
                try:
                    raw = base64.b64decode(signature, validate=True)
                except (binascii.Error, ValueError):
                    raw = b""
                if not rsa_pss.verify(public_key, (stamp + method + path).encode("utf-8"), raw):
                    reason = "signature does not verify"
            if reason is not None:
                with exchange.lock:
                    exchange.stats["auth_failures"] += 1
                raise ApiError(401, "authentication_error", reason)

        def control(self, method, path, body):
            if method == "GET" and path == "/_sim/stats":
                with exchange.lock:
                    return self.send_json(200, dict(exchange.stats))
            if method == "POST" and path == "/_sim/faults":
                try:
                    return self.send_json(200, exchange.arm(parse_qs(urlsplit(self.path).query)))
                except ApiError as error:
                    return self.send_json(error.status, {"error": {"code": error.code, "message": error.message}})
                except ValueError:
                    return self.send_json(400, {"error": {"code": "invalid_parameters", "message": "counts are integers"}})
            parts = path.strip("/").split("/")
            if method == "POST" and len(parts) == 3 and parts[1] == "markets":
                try:
                    return self.send_json(200, exchange.update_market(unquote(parts[2]), json.loads(body or b"{}")))
                except ApiError as error:
                    return self.send_json(error.status, {"error": {"code": error.code, "message": error.message}})
                except ValueError:
                    return self.send_json(400, {"error": {"code": "invalid_parameters", "message": "bad JSON"}})
            self.send_json(404, {"error": {"code": "not_found", "message": "no control route %s" % path}})

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Kalshi trade API v2 simulator (127.0.0.1 only).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--public-key")
    parser.add_argument("--key-id")
    parser.add_argument("--no-auth", action="store_true")
    parser.add_argument("--max-skew", type=float, default=0.0)
    parser.add_argument("--series", action="append")
    parser.add_argument("--date", type=datetime.date.fromisoformat,
                        default=datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1))
    parser.add_argument("--center", type=float, default=45.0)
    parser.add_argument("--sigma", type=float, default=3.0)
    parser.add_argument("--spread", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate-limit", type=int, default=0)
    parser.add_argument("--timeout-after-accept", type=int, nargs="?", const=1, default=0)
    parser.add_argument("--stall", type=float, default=30.0)
    parser.add_argument("--partial", action="store_true")
    parser.add_argument("--fill-interval", type=float, default=0.5)
    parser.add_argument("--watch-stdin", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    args.series = args.series or ["KXHIGHNY"]
    if args.fill_interval <= 0 or args.sigma <= 0:
        parser.error("--fill-interval and --sigma must be positive")
    public_key = None
    if not args.no_auth:
        if not args.public_key:
            parser.error("--public-key is required (or --no-auth)")
        with open(args.public_key) as handle:
            public_key = rsa_pss.load_public_key(handle.read())
    exchange = Exchange(args)

    def configure(server):
        server.verbose = args.verbose

    serve(make_handler(args, exchange, public_key), args.port, configure=configure, watch_stdin=args.watch_stdin)


if __name__ == "__main__":
    main()
