"""The soak's fault schedule: a pure function of the seed and the duration.

Every kind appears at least once (placed at random in the fault window), then more faults follow at exponential
intervals until the window ends. The last part of the run (`settle`) has no faults, so the spool drains, orders
settle and the final host life ends gracefully with the database up.
"""

import random
from dataclasses import dataclass, field

# Kind -> what it does; soak.py's Injector carries each one out.
KINDS = {
    "http_5xx": "the next 1-3 requests to one HTTP simulator answer 5xx",
    "http_429": "the next 1-3 requests to one HTTP simulator answer 429",
    "http_timeout": "the next request (or order POST) to one HTTP simulator is held past the client's timeout",
    "http_garbage": "the next Open-Meteo answer is HTML or truncated JSON with status 200",
    "stream_drop": "every open market-data connection is dropped without a close frame",
    "stream_flap": "the next 1-3 market-data connections are dropped right after the handshake",
    "stream_silence": "every open market-data connection goes silent (half-open), pings unanswered",
    "pg_stop": "PostgreSQL is stopped with pg_ctl -m immediate and started again after a few seconds",
    "host_kill": "the host is SIGKILLed and started again a second later, as systemd's Restart= would",
    "plugin_throw": "the flaky strategy's next on_events call returns NS_FATAL (it also fails at random)",
}


@dataclass(frozen=True)
class Fault:
    """One scheduled fault: when (seconds from the start), what, and its parameters."""

    at: float
    kind: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


def build(seed: int, duration: float, settle: float, warmup: float = 8.0, mean_gap: float = 6.0, kinds=None) -> list:
    """The faults of a run of `duration` seconds: between `warmup` and `duration - settle`, sorted by time.

    `kinds` (default: every one of KINDS) restricts the schedule, e.g. to leave out host kills under valgrind.

    The database is never stopped twice at once; a host kill may fall into an outage (its spool then waits for the
    next life, which cannot start until the database is back: it exits 75 and is started again).
    """
    rng = random.Random(seed)
    end = duration - settle
    if end <= warmup:
        raise ValueError("the run is too short for a fault window (duration %.0fs, settle %.0fs)" % (duration, settle))
    kinds = list(kinds or KINDS)
    weights = [_WEIGHTS[list(KINDS).index(kind)] for kind in kinds]
    required = [Fault(rng.uniform(warmup, end), kind, _params(rng, kind)) for kind in kinds]
    faults = list(required)
    at = warmup
    while True:
        at += rng.expovariate(1.0 / mean_gap)
        if at >= end:
            break
        kind = rng.choices(kinds, weights=weights)[0]
        faults.append(Fault(at, kind, _params(rng, kind)))
    faults.sort(key=lambda fault: fault.at)
    return _spaced(faults, required)


# Host kills and database stops are rarer than request faults: each costs a restart or an outage.
_WEIGHTS = [4, 3, 3, 2, 2, 2, 2, 1, 1, 2]


def _params(rng: random.Random, kind: str) -> dict:
    if kind in ("http_5xx", "http_429"):
        return {"target": rng.choice(["open_meteo", "kalshi", "alpaca_orders"]), "count": rng.randint(1, 3)}
    if kind == "http_timeout":
        return {"target": rng.choice(["open_meteo", "kalshi", "kalshi_order", "alpaca_order"])}
    if kind == "http_garbage":
        return {"variant": rng.choice(["garbage", "truncate"])}
    if kind == "stream_flap":
        return {"count": rng.randint(1, 3)}
    if kind == "pg_stop":
        return {"down_for": round(rng.uniform(2.0, 10.0), 1)}
    return {}


def _spaced(faults: list, required: list) -> list:
    """Drops the extra database stops that would begin while another stop (the required one first) is down."""
    windows = [(f.at, f.at + f.params["down_for"] + 1.0) for f in required if f.kind == "pg_stop"]
    kept = []
    for fault in faults:
        if fault.kind == "pg_stop" and fault not in required:
            start, end = fault.at, fault.at + fault.params["down_for"] + 1.0
            if any(start < other_end and other_start < end for other_start, other_end in windows):
                continue
            windows.append((start, end))
        kept.append(fault)
    return kept
