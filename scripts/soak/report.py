"""The soak's pass/fail rules (with the thresholds they use, printed beside them) and its table."""

from schedule import KINDS

# Resident memory: a leak of 100 bytes per stored event at the soak's ~8 events/s would be ~45 KiB/min. Allocator and
# cache warm-up after a restart is excluded by the warm-up; what remains must stay under this.
RSS_SLOPE_KIB_PER_MIN = 200.0
# The longest life's RSS may grow by at most this fraction from its warm-up level to its end.
RSS_GROWTH_RATIO = 1.25
# Descriptors come and go with reconnects and HTTP connections (a median of pairwise slopes, Theil-Sen, so one dip at
# the end of a short life does not tilt it); a leak of one per fault (~10/min) must show.
FD_SLOPE_PER_MIN = {"full": 1.0, "short": 3.0}


def verdicts(summary: dict, short: bool) -> list:
    events, sims = summary["events"], summary["sims"]
    checks = []

    def check(name, ok, figure, rule):
        checks.append({"name": name, "ok": bool(ok), "figure": figure, "rule": rule})

    check("events exactly once",
          events["duplicate_rows"] == 0 and events["printed_twice"] == 0 and events["unexplained_missing"] == 0,
          "%d accepted, %d rows, %d duplicate rows, %d missing (not lost to SIGKILL)" % (
              events["accepted"], events["stored_rows"], events["duplicate_rows"], events["unexplained_missing"]),
          "each accepted event has one row, except a killed life's unstored tail")
    check("lost to SIGKILL (shown)", True,
          "%d events in %d kills" % (events["lost_to_sigkill"], len(events["lost_details"])),
          "printed but in memory only when the host was killed; counted, not hidden")
    check("no loss reported by the host", summary["events_lost_reports"] == 0 and summary["spool_bytes_left"] == 0,
          "%d 'EVENTS LOST' reports, %d spool bytes left" % (summary["events_lost_reports"], summary["spool_bytes_left"]),
          "0 and 0")
    kalshi, alpaca = sims["kalshi"], sims["alpaca_orders"]
    orders = kalshi["orders"] + alpaca["orders"]
    check("no client_order_id sent twice",
          kalshi["duplicate_submissions"] == 0 and alpaca["duplicates"] == 0 and orders > 0,
          "%d orders (kalshi %d, alpaca %d), duplicates %d + %d" % (
              orders, kalshi["orders"], alpaca["orders"], kalshi["duplicate_submissions"], alpaca["duplicates"]),
          "0 duplicates at the simulators, at least one order")
    missing = [kind for kind in summary["kinds"] if summary["faults"].get(kind, 0) == 0]
    plugin_failures = summary["event_types"].get("plugin_failed", 0)
    check("every fault kind injected", not missing and plugin_failures > 0 and not summary["fault_failures"],
          "%d faults, %d plugin failures%s" % (sum(summary["faults"].values()), plugin_failures,
                                               (", missing: " + ",".join(missing)) if missing else ""),
          "each kind at least once; the flaky plugin failed (a throw armed just before a kill may go unused)")
    check("graceful final stop", summary["final_status"] == 0, "status %s" % summary["final_status"], "exit 0")
    fds = summary["fds"]
    limit = FD_SLOPE_PER_MIN["short" if short else "full"]
    check("open fds flat", fds["lives_used"] > 0 and abs(fds["robust_per_minute"]) <= limit,
          "%+.2f fds/min (least squares %+.2f) over %d lives, longest %.0f -> %.0f" % (
              fds["robust_per_minute"], fds["per_minute"], fds["lives_used"], fds["start"] or 0, fds["end"] or 0),
          "|Theil-Sen slope| <= %.1f/min" % limit)
    rss = summary["rss"]
    ratio = rss["end"] / rss["start"] if rss["start"] else 0.0
    figure = "%+.1f KiB/min over %d lives; longest life %.0f -> %.0f KiB (x%.3f in %.1f min)" % (
        rss["per_minute"], rss["lives_used"], rss["start"] or 0, rss["end"] or 0, ratio, rss["longest_minutes"])
    if short:
        check("resident memory (shown)", True, figure, "judged only in runs of 5 minutes or more")
    else:
        check("resident memory flat",
              rss["lives_used"] > 0 and rss["per_minute"] <= RSS_SLOPE_KIB_PER_MIN and ratio <= RSS_GROWTH_RATIO,
              figure, "slope <= %.0f KiB/min and end/start <= %.2f" % (RSS_SLOPE_KIB_PER_MIN, RSS_GROWTH_RATIO))
    return checks


def print_table(summary: dict, checks: list):
    print()
    print("seed %d, %.0fs, %d host lives (%d SIGKILLed)" % (
        summary["seed"], summary["seconds"], len(summary["lives"]), sum(1 for l in summary["lives"] if l["killed"])))
    print("faults: " + ", ".join("%s %d" % (kind, summary["faults"].get(kind, 0)) for kind in KINDS)
          + ", plugin_failed %d" % summary["event_types"].get("plugin_failed", 0))
    types = summary["event_types"]
    print("events seen: " + ", ".join("%s %d" % (name, types.get(name, 0)) for name in (
        "attempt_failed", "retry_exhausted", "cycle_skipped", "stream_disconnected", "stream_connected",
        "event_store_unavailable", "event_store_recovered", "plugin_restarted", "order_submitted", "order_unknown",
        "order_reconciled", "trade_executed")))
    print()
    print("%-4s  %-32s %-70s %s" % ("", "check", "figure", "rule"))
    for check in checks:
        print("%-4s  %-32s %-70s %s" % ("ok" if check["ok"] else "FAIL", check["name"], check["figure"], check["rule"]))
