#!/usr/bin/env python3
"""A simulator of Alpaca's market data WebSocket (v2) on 127.0.0.1, with faults chosen by flags.

Prints the port it listens on as the first line of stdout, then serves until killed (or, with --watch-stdin, until
stdin reaches end of file).

Protocol, in the documented shapes (every server frame is a JSON array of messages):
  path            /v2/iex, /v2/sip or /v2/test (anything else: HTTP 404 before the upgrade)
  on connect      [{"T":"success","msg":"connected"}]
  auth            {"action":"auth","key":K,"secret":S}
                  -> [{"T":"success","msg":"authenticated"}]
                  -> [{"T":"error","code":402,"msg":"auth failed"}] and close, for wrong credentials
                  -> [{"T":"error","code":403,"msg":"already authenticated"}] when repeated
                  no auth within --auth-timeout seconds: [{"T":"error","code":404,"msg":"auth timeout"}] and close
  subscribe       {"action":"subscribe","trades":[..],"quotes":[..],"bars":[..],"updatedBars":[..],"dailyBars":[..]}
  unsubscribe     the same keys
                  -> [{"T":"subscription","trades":[..],"quotes":[..],"bars":[..],"updatedBars":[..],
                       "dailyBars":[..],"statuses":[],"lulds":[],"corrections":[..],"cancelErrors":[..]}]
                  -> [{"T":"error","code":401,"msg":"not authenticated"}] before auth
                  -> [{"T":"error","code":405,"msg":"symbol limit exceeded"}] on iex past 30 trade + quote symbols
  anything else   [{"T":"error","code":400,"msg":"invalid syntax"}]
  data            trades {"T":"t","S","i","x","p","s","c":[..],"t","z"}, quotes {"T":"q","S","ax","ap","as","bx",
                  "bp","bs","c":[..],"t","z"}, bars {"T":"b","S","o","h","l","c","v","t","n","vw"} for the
                  subscribed symbols in turn ("*" stands for --wildcard-symbols), timestamps RFC 3339 with ns.

Statistics: a plain HTTP GET /_sim/stats answers {"connections","authenticated","subscriptions","data_messages",
"faults"} as JSON. Faults can be added while it runs (a soak test's schedule) with a plain HTTP
GET /_sim/faults?drop_now=1&silence_now=1&flap=N: drop every open connection without a close frame, make every open
connection go silent (half-open), flap the next N new connections; the answer is {"open","flaps_armed"}, where
"open" counts the sessions the simulator holds (a silenced one stops reading, so it stays until a drop ends it).

Faults (each applies to every connection, or only to the first K with --faulty-connections K):
  --reject-auth        answer auth with 402 auth failed, then close
  --error CODE         send [{"T":"error","code":CODE,"msg":..}] and close, at the point --error-on names
                       (connect: right after the greeting; auth: instead of the auth reply [default];
                       subscribe: instead of the subscription reply; data: after --error-after data messages)
  --flap               complete the WebSocket handshake, then drop the TCP connection at once (no close frame)
  --flap-on N[,N..]    flap only the connections with these numbers (1 = the first), whatever --faulty-connections
                       says: e.g. `--drop-after 60 --faulty-connections 1 --flap-on 2,3` drops the first connection
                       after 60 messages, then flaps twice, then serves normally
  --drop-after N       drop the TCP connection without a close frame after N data messages
  --silence-after N    after N data messages stop sending and stop reading: pings go unanswered (half-open)
  --burst N            send N data messages at once after the subscription, then continue at --rate
"""

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time
from http import HTTPStatus

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

FEEDS = ("iex", "sip", "test")
IEX_SYMBOL_LIMIT = 30
MEANINGS = {
    400: "invalid syntax", 401: "not authenticated", 402: "auth failed", 403: "already authenticated",
    404: "auth timeout", 405: "symbol limit exceeded", 406: "connection limit exceeded", 407: "slow client",
    409: "insufficient subscription", 410: "invalid subscribe action for this feed", 411: "insufficient scope",
    500: "internal error",
}
CHANNELS = ("trades", "quotes", "bars", "updatedBars", "dailyBars")


def rfc3339(ns):
    seconds, nanos = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanos:09d}Z"


class Market:
    """Random-walk prices per symbol, shared by all connections."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        self.prices = {}
        self.trade_id = 0

    def step(self, symbol):
        price = self.prices.get(symbol, 100.0 + 10 * (sum(map(ord, symbol)) % 50))
        price = max(1.0, price * (1 + self.random.gauss(0, 0.0005)))
        self.prices[symbol] = price
        return price

    def message(self, channel, symbol):
        price = self.step(symbol)
        now = time.time_ns()
        if channel == "trades":
            self.trade_id += 1
            return {"T": "t", "S": symbol, "i": self.trade_id, "x": "V", "p": round(price, 2),
                    "s": self.random.randint(1, 500), "c": ["@"], "t": rfc3339(now), "z": "C"}
        if channel == "quotes":
            half = max(0.01, round(price * 0.0002, 2))
            return {"T": "q", "S": symbol, "ax": "V", "ap": round(price + half, 2), "as": self.random.randint(1, 9),
                    "bx": "V", "bp": round(price - half, 2), "bs": self.random.randint(1, 9), "c": ["R"],
                    "t": rfc3339(now), "z": "C"}
        minute = now - now % 60_000_000_000
        low, high = round(price * 0.999, 2), round(price * 1.001, 2)
        kind = {"bars": "b", "updatedBars": "u", "dailyBars": "d"}[channel]
        return {"T": kind, "S": symbol, "o": round(price, 2), "h": high, "l": low, "c": round(price, 2),
                "v": self.random.randint(100, 10_000), "t": rfc3339(minute), "n": self.random.randint(1, 50),
                "vw": round(price, 4)}


class Simulator:
    def __init__(self, options):
        self.options = options
        self.market = Market(options.seed)
        self.stats = {"connections": 0, "authenticated": 0, "subscriptions": 0, "data_messages": 0, "faults": 0}
        self.sessions = set()
        self.flaps_armed = 0

    def arm(self, query):
        """Applies a /_sim/faults query (see the module text) and returns what is open and armed now."""
        values = {key: int(value) for key, value in (part.split("=", 1) for part in query.split("&") if "=" in part)}
        for session in list(self.sessions):
            if values.get("drop_now"):
                self.stats["faults"] += 1
                session.ws.transport.abort()
            elif values.get("silence_now"):
                self.stats["faults"] += 1
                session.silence()
        self.flaps_armed += values.get("flap", 0)
        return {"open": len(self.sessions), "flaps_armed": self.flaps_armed}

    def faulty(self, number):
        limit = self.options.faulty_connections
        return limit <= 0 or number <= limit

    async def process_request(self, connection, request):
        path = request.path.split("?")[0]
        if path == "/_sim/stats":
            return connection.respond(HTTPStatus.OK, json.dumps(self.stats) + "\n")
        if path == "/_sim/faults":
            try:
                armed = self.arm(request.path.partition("?")[2])
            except ValueError:
                return connection.respond(HTTPStatus.BAD_REQUEST, "counts are integers\n")
            return connection.respond(HTTPStatus.OK, json.dumps(armed) + "\n")
        if path not in tuple(f"/v2/{feed}" for feed in FEEDS):
            return connection.respond(HTTPStatus.NOT_FOUND, "unknown feed\n")
        return None

    async def handler(self, ws):
        self.stats["connections"] += 1
        session = Session(self, ws, self.stats["connections"])
        if self.flaps_armed > 0:
            self.flaps_armed -= 1
            session.flaps = True
        self.sessions.add(session)
        try:
            await session.run()
        except ConnectionClosed:
            pass
        finally:
            self.sessions.discard(session)


class Session:
    """One client connection."""

    def __init__(self, sim, ws, number):
        self.sim = sim
        self.options = sim.options
        self.ws = ws
        self.feed = ws.request.path.split("?")[0].rsplit("/", 1)[-1]
        self.faulty = sim.faulty(number)
        self.flaps = number in sim.options.flap_on if sim.options.flap_on else self.faulty and sim.options.flap
        self.authenticated = False
        self.subscribed = {channel: [] for channel in CHANNELS}
        self.sent = 0
        self.data_task = None
        self.silenced = False

    def silence(self):
        """Stops sending and reading at once: the connection stays open but half-dead, pings unanswered."""
        self.silenced = True
        self.ws.transport.pause_reading()

    async def send(self, *messages):
        await self.ws.send(json.dumps(list(messages), separators=(",", ":")))

    async def fail(self, code):
        self.sim.stats["faults"] += 1
        await self.send({"T": "error", "code": code, "msg": MEANINGS.get(code, "error")})
        await self.ws.close()

    def injected(self, point):
        return self.faulty and self.options.error is not None and self.options.error_on == point

    async def run(self):
        if self.flaps:
            self.sim.stats["faults"] += 1
            self.ws.transport.abort()
            return
        await self.send({"T": "success", "msg": "connected"})
        if self.injected("connect"):
            return await self.fail(self.options.error)
        try:
            await asyncio.wait_for(self.authenticate(), timeout=self.options.auth_timeout)
        except asyncio.TimeoutError:
            return await self.fail(404)
        if not self.authenticated:
            return
        async for raw in self.ws:
            if not await self.command(raw):
                return

    async def authenticate(self):
        async for raw in self.ws:
            request = self.parse(raw)
            if request is None:
                await self.send({"T": "error", "code": 400, "msg": "invalid syntax"})
            elif request.get("action") != "auth":
                await self.send({"T": "error", "code": 401, "msg": "not authenticated"})
            elif self.injected("auth"):
                return await self.fail(self.options.error)
            elif (self.faulty and self.options.reject_auth) or request.get("key") != self.options.key \
                    or request.get("secret") != self.options.secret:
                return await self.fail(402)
            else:
                self.authenticated = True
                self.sim.stats["authenticated"] += 1
                await self.send({"T": "success", "msg": "authenticated"})
                return

    @staticmethod
    def parse(raw):
        try:
            request = json.loads(raw)
        except (ValueError, TypeError):
            return None
        return request if isinstance(request, dict) else None

    async def command(self, raw):
        request = self.parse(raw)
        action = request.get("action") if request else None
        if action == "auth":
            await self.send({"T": "error", "code": 403, "msg": "already authenticated"})
        elif action in ("subscribe", "unsubscribe"):
            if self.injected("subscribe"):
                await self.fail(self.options.error)
                return False
            return await self.subscribe(request, adding=action == "subscribe")
        else:
            await self.send({"T": "error", "code": 400, "msg": "invalid syntax"})
        return True

    async def subscribe(self, request, adding):
        wanted = {channel: list(self.subscribed[channel]) for channel in CHANNELS}
        for channel in CHANNELS:
            symbols = request.get(channel) or []
            if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
                await self.send({"T": "error", "code": 400, "msg": "invalid syntax"})
                return True
            for symbol in symbols:
                if adding and symbol not in wanted[channel]:
                    wanted[channel].append(symbol)
                elif not adding and symbol in wanted[channel]:
                    wanted[channel].remove(symbol)
        if self.feed == "iex":
            count = len(wanted["trades"]) + len(wanted["quotes"])
            if count > IEX_SYMBOL_LIMIT or "*" in wanted["trades"] + wanted["quotes"]:
                await self.send({"T": "error", "code": 405, "msg": "symbol limit exceeded"})
                return True
        self.subscribed = wanted
        self.sim.stats["subscriptions"] += 1
        await self.send({"T": "subscription", **wanted, "statuses": [], "lulds": [],
                         "corrections": list(wanted["trades"]), "cancelErrors": list(wanted["trades"])})
        if self.data_task is None:
            self.data_task = asyncio.create_task(self.stream())
        return True

    def pairs(self):
        wildcard = self.options.wildcard_symbols.split(",")
        return [(channel, symbol) for channel in CHANNELS for entry in self.subscribed[channel]
                for symbol in (wildcard if entry == "*" else [entry])]

    async def stream(self):
        """Sends data for the subscribed symbols in turn until a fault or the connection ends."""
        burst = self.options.burst if self.faulty else 0
        turn = 0
        try:
            while not self.silenced:
                pairs = self.pairs()
                if not pairs:
                    await asyncio.sleep(0.05)
                    continue
                batch = []
                for _ in range(self.options.batch):
                    channel, symbol = pairs[turn % len(pairs)]
                    turn += 1
                    batch.append(self.sim.market.message(channel, symbol))
                await self.send(*batch)
                self.sent += len(batch)
                self.sim.stats["data_messages"] += len(batch)
                if self.silenced or await self.fault_after_data():
                    return
                if burst > 0:
                    burst -= len(batch)
                    if burst > 0:
                        continue
                await asyncio.sleep(1 / self.options.rate)
        except ConnectionClosed:
            pass

    async def fault_after_data(self):
        options = self.options
        if not self.faulty:
            return False
        if options.drop_after is not None and self.sent >= options.drop_after:
            self.sim.stats["faults"] += 1
            self.ws.transport.abort()
            return True
        if options.silence_after is not None and self.sent >= options.silence_after:
            self.sim.stats["faults"] += 1
            self.ws.transport.pause_reading()
            return True
        if options.error is not None and options.error_on == "data" and self.sent >= options.error_after:
            await self.fail(options.error)
            return True
        return False


def connection_numbers(text):
    """`2,3` -> {2, 3}: connection numbers for --flap-on."""
    try:
        numbers = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError("expected connection numbers like 2,3")
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError("connection numbers start at 1")
    return numbers


def watch_stdin():
    """Exits the process when stdin closes: the test that started the simulator has gone."""
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", default="test-key", help="the API key id auth expects")
    parser.add_argument("--secret", default="test-secret", help="the API secret auth expects")
    parser.add_argument("--rate", type=float, default=20.0, help="data frames per second (default 20)")
    parser.add_argument("--batch", type=int, default=1, help="data messages per frame (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for prices and sizes")
    parser.add_argument("--auth-timeout", type=float, default=10.0, help="seconds to wait for auth (default 10)")
    parser.add_argument("--wildcard-symbols", default="AAPL,MSFT,SPY", help="what \"*\" subscribes to")
    parser.add_argument("--faulty-connections", type=int, default=0, help="faults apply to the first K only")
    parser.add_argument("--reject-auth", action="store_true", help="answer auth with 402 auth failed")
    parser.add_argument("--error", type=int, help="send this error code and close")
    parser.add_argument("--error-on", choices=("connect", "auth", "subscribe", "data"), default="auth")
    parser.add_argument("--error-after", type=int, default=1, help="data messages before --error-on data")
    parser.add_argument("--flap", action="store_true", help="drop every connection right after the handshake")
    parser.add_argument("--flap-on", type=connection_numbers, default=(), metavar="N[,N..]",
                        help="flap only these connection numbers (1 = the first)")
    parser.add_argument("--drop-after", type=int, help="drop the connection after N data messages")
    parser.add_argument("--silence-after", type=int, help="go silent (half-open) after N data messages")
    parser.add_argument("--burst", type=int, default=0, help="send N data messages at once after subscribing")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin reaches end of file")
    options = parser.parse_args()
    if options.rate <= 0 or options.batch < 1:
        parser.error("--rate must be positive and --batch at least 1")
    if options.watch_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()
    sim = Simulator(options)
    async with serve(sim.handler, "127.0.0.1", 0, process_request=sim.process_request, ping_interval=None,
                     max_size=1 << 20) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
