"""Carries out the schedule's faults against the running simulators, database and host; counts what it did."""

import collections
import threading
import time


class Injector:
    """Applies `schedule.Fault`s; `counts` says how many of each kind (and target) really happened."""

    def __init__(self, world, supervisor, log, trigger: str):
        self.world, self.supervisor, self.log, self.trigger = world, supervisor, log, trigger
        self.counts = collections.Counter()
        self.failures = []
        self.pg_down = threading.Event()
        self.pg_timer = None

    def apply(self, fault):
        try:
            detail = self._apply(fault)
        except Exception as error:  # a fault that could not be injected is reported, not hidden
            self.failures.append("%s at %.1fs: %s" % (fault.kind, fault.at, error))
            self.log("fault %-14s FAILED: %s" % (fault.kind, error))
            return
        if detail is None:
            return
        self.counts[fault.kind] += 1
        self.log("fault %-14s %s" % (fault.kind, detail))

    def _apply(self, fault):
        kind, params = fault.kind, fault.params
        if kind in ("http_5xx", "http_429"):
            name = "fail" if kind == "http_5xx" else "rate_limit"
            self.world.control(params["target"], "%s=%d" % (name, params["count"]))
            return "%s x%d" % (params["target"], params["count"])
        if kind == "http_timeout":
            target = params["target"]
            sim, name = {"open_meteo": ("open_meteo", "hang"), "kalshi": ("kalshi", "hang"),
                         "kalshi_order": ("kalshi", "timeout_after_accept"),
                         "alpaca_order": ("alpaca_orders", "timeout_after_accept")}[target]
            self.world.control(sim, "%s=1" % name)
            return target
        if kind == "http_garbage":
            self.world.control("open_meteo", "%s=1" % params["variant"])
            return "open_meteo " + params["variant"]
        if kind == "stream_drop":
            return "open connections: %d" % self.world.control("alpaca_stream", "drop_now=1")["open"]
        if kind == "stream_silence":
            return "open connections: %d" % self.world.control("alpaca_stream", "silence_now=1")["open"]
        if kind == "stream_flap":
            self.world.control("alpaca_stream", "flap=%d" % params["count"])
            return "next %d connections" % params["count"]
        if kind == "pg_stop":
            if self.pg_down.is_set():
                return None
            self.world.pg_stop()
            self.pg_down.set()
            self.pg_timer = threading.Timer(params["down_for"], self._pg_restart)
            self.pg_timer.start()
            return "down for %.1fs" % params["down_for"]
        if kind == "plugin_throw":
            if not self.supervisor.running():
                return None
            with open(self.trigger, "ab") as handle:
                handle.write(b"!")
            return "flaky"
        if kind == "host_kill":
            if not self.supervisor.kill():
                return None
            return "life %d (pid %d)%s" % (self.supervisor.lives[-1].number, self.supervisor.lives[-1].pid,
                                           " during a database outage" if self.pg_down.is_set() else "")
        raise ValueError("unknown fault kind %s" % kind)

    def _pg_restart(self):
        try:
            self.world.pg_start()
            self.log("database started again")
        except Exception as error:
            self.failures.append("pg_start: %s" % error)
        finally:
            self.pg_down.clear()

    def ensure_database_up(self):
        """Waits for a pending restart (or restarts now) so the settle phase has the database."""
        if self.pg_timer is not None:
            self.pg_timer.join()
        if self.pg_down.is_set():
            self._pg_restart()


def run_schedule(faults, injector, start: float, end: float):
    """Applies each fault at its time (seconds after the monotonic `start`), then waits until `end`."""
    for fault in faults:
        delay = start + fault.at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        injector.apply(fault)
    remaining = start + end - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
