"""The soak's verdicts, from the host lives' stdout, the event store, the simulators' counters and /proc samples.

Accepted event: one whose JSON line the host printed on stdout, or whose row is in the store. (Stdout and the store
are fed, in the same order, by the host's one dispatch thread; an event that reached neither before a SIGKILL is
invisible to both and to any outside observer, so it cannot be counted.)

Exactly once: every accepted event has exactly one row, except those lost to a SIGKILL. The store receives a life's
events as a prefix of its stdout order (the writer keeps the order; the spool replays in order), so an event lost to
a SIGKILL must come after the last stored event of a killed life: that is the definition used here, and the time
between the first such event and the kill is shown. A missing event before a stored one (a gap), or in a life that
was not killed, fails the check.
"""

import json


def read_life(path: str):
    """(events [(id, type, instance, time)], lines that are not JSON events) from one life's stdout file."""
    events, torn = [], 0
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                event = json.loads(raw)
                events.append((event["id"], event["type"], event.get("instance", ""), event.get("time", "")))
            except (ValueError, KeyError, TypeError):
                torn += 1
    return events, torn


def account(lives, stored: dict) -> dict:
    """The exactly-once accounting; `stored` maps event id -> rows in the store."""
    printed, lost, unexplained, torn, details = {}, 0, [], 0, []
    for life in lives:
        events, bad = read_life(life.stdout)
        torn += bad
        for event in events:
            printed[event[0]] = printed.get(event[0], 0) + 1
        missing = [i for i, event in enumerate(events) if event[0] not in stored]
        last_stored = max((i for i, event in enumerate(events) if event[0] in stored), default=-1)
        tail = [i for i in missing if i > last_stored] if life.killed else []
        unexplained += [events[i] for i in missing if i not in set(tail)]
        lost += len(tail)
        if tail:
            details.append({"life": life.number, "lost": len(tail), "first_lost_time": events[tail[0]][3],
                            "kill_wall": life.kill_wall})
    accepted = set(printed) | set(stored)
    return {
        "printed": sum(printed.values()),
        "printed_twice": sum(count - 1 for count in printed.values()),
        "stored_rows": sum(stored.values()),
        "store_only": len(set(stored) - set(printed)),
        "accepted": len(accepted),
        "duplicate_rows": sum(count - 1 for count in stored.values()),
        "lost_to_sigkill": lost,
        "lost_details": details,
        "unexplained_missing": len(unexplained),
        "unexplained_examples": [list(event) for event in unexplained[:5]],
        "torn_lines": torn,
    }


def slope(lives, warmup: float, column: int) -> dict:
    """Least-squares slope per minute of a sample column (1: VmRSS KiB, 2: fds) pooled within lives after `warmup`.

    Each life is centred on its own means (a restart resets memory, which is not a trend), and the slope is
    sum((x - mean_x)(y - mean_y)) / sum((x - mean_x)^2) over all lives with at least four samples.
    """
    top, bottom, used, longest = 0.0, 0.0, 0, None
    for life in lives:
        points = [(t / 60.0, sample[column - 1]) for t, *sample in life.samples if t >= warmup]
        if len(points) < 4:
            continue
        used += 1
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        top += sum((x - mean_x) * (y - mean_y) for x, y in points)
        bottom += sum((x - mean_x) ** 2 for x, _ in points)
        if longest is None or len(points) > len(longest):
            longest = points
    result = {"per_minute": top / bottom if bottom > 0 else 0.0, "lives_used": used, "start": None, "end": None,
              "longest_minutes": 0.0}
    if longest:
        head, tail = longest[:3], longest[-3:]
        result["start"] = sum(y for _, y in head) / len(head)
        result["end"] = sum(y for _, y in tail) / len(tail)
        result["longest_minutes"] = longest[-1][0] - longest[0][0]
    return result


def robust_slope(lives, warmup: float, column: int) -> float:
    """Theil-Sen slope per minute: the median of the slopes between every two samples of the same life.

    A descriptor count dips and recovers with each reconnect or database outage; one such dip near the end of a short
    life tilts a least-squares line, but barely moves the median of pairwise slopes, while a steady leak moves both.
    """
    pairs = []
    for life in lives:
        points = [(t / 60.0, sample[column - 1]) for t, *sample in life.samples if t >= warmup]
        pairs += [(b[1] - a[1]) / (b[0] - a[0]) for i, a in enumerate(points) for b in points[i + 1:] if b[0] > a[0]]
    pairs.sort()
    if not pairs:
        return 0.0
    middle = len(pairs) // 2
    return pairs[middle] if len(pairs) % 2 else (pairs[middle - 1] + pairs[middle]) / 2
