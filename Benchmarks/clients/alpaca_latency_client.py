#!/usr/bin/env python3
"""P2's baseline: a plain Python websockets client receiving the simulator's quote frames on loopback.

Usage: alpaca_latency_client.py URL SECONDS WARMUP. Authenticates, subscribes to AAPL quotes, and for every quote
records time.time_ns() on arrival (before parsing) minus the quote's "t" (RFC 3339 with nanoseconds, stamped by the
simulator with time.time_ns() just before sending). Both clocks are CLOCK_REALTIME on the same machine. Prints one
JSON line: {"count", "p50_ns", "p99_ns", "p999_ns", "max_ns"}.
"""

import asyncio
import calendar
import json
import sys
import time

from websockets.asyncio.client import connect


def nanoseconds(text):
    """2024-01-02T15:04:05.123456789Z -> ns since the epoch."""
    seconds = calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
    fraction = text[20:-1] if len(text) > 20 and text[19] == "." else ""
    return seconds * 1_000_000_000 + int((fraction + "000000000")[:9] or 0)


def quantile(samples, q):
    if not samples:
        return 0
    rank = max(1, min(len(samples), -(-int(q * len(samples) * 1_000_000) // 1_000_000)))
    return samples[rank - 1]


async def main(url, seconds, warmup):
    samples, seen = [], 0
    async with connect(url, ping_interval=None, max_size=1 << 20) as ws:
        await ws.recv()
        await ws.send(json.dumps({"action": "auth", "key": "test-key", "secret": "test-secret"}))
        await ws.recv()
        await ws.send(json.dumps({"action": "subscribe", "quotes": ["AAPL"]}))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                break
            arrived = time.time_ns()
            for message in json.loads(raw):
                if message.get("T") != "q":
                    continue
                seen += 1
                if seen > warmup:
                    samples.append(arrived - nanoseconds(message["t"]))
    samples.sort()
    print(json.dumps({"count": len(samples), "p50_ns": quantile(samples, 0.5), "p99_ns": quantile(samples, 0.99),
                      "p999_ns": quantile(samples, 0.999), "max_ns": samples[-1] if samples else 0}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3])))
