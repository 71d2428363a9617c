#!/usr/bin/env python3
"""The soak run: the demo's two bots (scripts/soak/soak.yaml) under a seeded random schedule of every fault kind,
through as many host lives as the schedule's SIGKILLs make, then the checks (see checks.py and docs/soak.md).

Run it under scripts/with-postgres.sh (`make soak`), which provides the PostgreSQL server it stops and starts:

  scripts/with-postgres.sh python3 scripts/soak/soak.py [--seconds N | SOAK_MINUTES] [--seed N | SOAK_SEED]

Prints the seed, each fault as it is injected, and a table of checks; exits 1 when a check fails.
Python standard library only.
"""

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import checks  # noqa: E402
import report  # noqa: E402
import schedule  # noqa: E402
from host import HostSupervisor  # noqa: E402
from injector import Injector, run_schedule  # noqa: E402
from world import World, unblock_signals  # noqa: E402


def arguments():
    parser = argparse.ArgumentParser(description="Soak the host under a random schedule of faults.")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_MINUTES", "10")) * 60)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED") or random.SystemRandom().randrange(1, 1 << 31)))
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "nightshift"))
    parser.add_argument("--products", help="directory of the Swift plugins (default: the binary's directory)")
    parser.add_argument("--work", help="keep the run's files here (default: a temporary directory)")
    parser.add_argument("--warmup", type=float, help="seconds of each life not used for the RSS/fd slopes")
    parser.add_argument("--summary", help="write the figures and verdicts as JSON to this file")
    parser.add_argument("--kinds", help="comma-separated fault kinds to schedule (default: all of schedule.KINDS)")
    parser.add_argument("--wrap", default="", help="a command line put before the host's (valgrind for make leaks)")
    parser.add_argument("--self-stop", action="store_true",
                        help="lives end by `nightshift run --for` at the run's end instead of by SIGTERM")
    parser.add_argument("--fault-start", type=float, default=8.0, help="seconds before the first fault")
    parser.add_argument("--stop-timeout", type=float, default=30.0, help="seconds the final graceful stop may take")
    parser.add_argument("--flaky-per-mille", type=int, default=1, help="chance per call that the flaky plugin fails")
    return parser.parse_args()


def main() -> int:
    options = arguments()
    unblock_signals()
    work = options.work or tempfile.mkdtemp(prefix="nightshift-soak.")
    os.makedirs(work, exist_ok=True)
    settle = max(15.0, options.seconds * 0.1)
    warmup = options.warmup if options.warmup is not None else (30.0 if options.seconds >= 300 else 8.0)
    kinds = options.kinds.split(",") if options.kinds else list(schedule.KINDS)
    faults = schedule.build(options.seed, options.seconds, settle, warmup=options.fault_start, kinds=kinds)
    print("soak: seed %d, %.0fs (%d faults, last %.0fs without), files in %s" % (
        options.seed, options.seconds, len(faults), settle, work), flush=True)

    plugins = os.path.join(work, "plugins")
    os.makedirs(plugins, exist_ok=True)
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-I",
                    os.path.join(ROOT, "Sources/NightshiftABI/include"), os.path.join(HERE, "flaky_strategy.c"),
                    "-o", os.path.join(plugins, "libsoak-flaky.so")], check=True)
    world = World(work, options.seed)
    began = time.monotonic()
    log = lambda text: print("%7.1fs  %s" % (time.monotonic() - began, text), flush=True)  # noqa: E731
    supervisor = None
    try:
        world.start()
        env = dict(os.environ, **world.environment())
        # glibc adds malloc arenas lazily, up to 8 per core, as threads contend; each new one raises RSS by a step
        # that never comes back. Bounded, but it would read as a slope: two arenas unless the caller chose.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        env.pop("NOTIFY_SOCKET", None)
        env.pop("WATCHDOG_USEC", None)
        env.update(SOAK_PLUGIN_DIR=plugins, SOAK_DATA_DIR=os.path.join(work, "data"), SOAK_SEED=str(options.seed),
                   SOAK_PRODUCTS_DIR=options.products or os.path.dirname(os.path.abspath(options.bin)),
                   SOAK_FLAKY_PER_MILLE=str(options.flaky_per_mille),
                   SOAK_FLAKY_TRIGGER=os.path.join(work, "flaky.trigger"))
        config = os.path.join(HERE, "soak.yaml")
        began = time.monotonic()
        supervisor = HostSupervisor(shlex.split(options.wrap) + [options.bin, "run", config], env, work,
                                    until=began + options.seconds if options.self_stop else None)
        injector = Injector(world, supervisor, log, env["SOAK_FLAKY_TRIGGER"])
        supervisor.start()
        run_schedule(faults, injector, began, options.seconds - settle)
        injector.ensure_database_up()
        log("settling: no more faults")
        remaining = began + options.seconds - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
        final_status = supervisor.stop(options.stop_timeout)
        log("host stopped (status %s) after %d lives" % (final_status, len(supervisor.lives)))
        summary = collect(world, supervisor, injector, work, warmup, final_status)
    finally:
        if supervisor is not None and not supervisor.stopping:
            supervisor.stop()
        world.close()
    summary.update(seed=options.seed, seconds=options.seconds, settle=settle, warmup=warmup, work=work, kinds=kinds)
    verdicts = report.verdicts(summary, short=options.seconds < 300)
    summary["verdicts"] = verdicts
    report.print_table(summary, verdicts)
    if options.summary:
        with open(options.summary, "w") as handle:
            json.dump(summary, handle, indent=1, default=str)
    return 0 if all(v["ok"] for v in verdicts) else 1


def collect(world, supervisor, injector, work, warmup, final_status) -> dict:
    """Everything the checks need, gathered once the host has stopped."""
    stored = {}
    for line in world.psql("SELECT id, count(*) FROM bot_events GROUP BY id").splitlines():
        event_id, _, count = line.partition("|")
        stored[event_id] = int(count)
    types = dict(line.split("|") for line in world.psql(
        "SELECT event_type, count(*) FROM bot_events GROUP BY 1 ORDER BY 1").splitlines() if "|" in line)
    lives = supervisor.lives
    stderr = "".join(open(life.stderr, errors="replace").read() for life in lives)
    spool = os.path.join(work, "data", "spool", "events.spool")
    return {
        "events": checks.account(lives, stored),
        "event_types": {key: int(value) for key, value in types.items()},
        "events_lost_reports": stderr.count("EVENTS LOST"),
        "spool_bytes_left": os.path.getsize(spool) if os.path.exists(spool) else 0,
        "faults": dict(injector.counts),
        "fault_failures": injector.failures,
        "lives": [{"number": life.number, "status": life.status, "killed": life.killed,
                   "seconds": round(life.ended - life.started, 1),
                   "samples": [[round(t, 1), rss, fds] for t, rss, fds in life.samples]} for life in lives],
        "final_status": final_status,
        "rss": checks.slope(lives, warmup, 1),
        "fds": dict(checks.slope(lives, warmup, 2), robust_per_minute=checks.robust_slope(lives, warmup, 2)),
        "sims": {name: world.stats(name) for name in ("open_meteo", "kalshi", "alpaca_stream", "alpaca_orders")},
    }


if __name__ == "__main__":
    sys.exit(main())
