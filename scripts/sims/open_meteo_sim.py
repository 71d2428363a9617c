#!/usr/bin/env python3
"""A local simulator of Open-Meteo's ensemble API (GET /v1/ensemble), following the documented shapes.

Prints the port it listens on (127.0.0.1 only) as the first line of stdout, then serves until killed.

  GET /v1/ensemble?latitude=..&longitude=..&hourly=temperature_2m&models=gfs_seamless
      [&forecast_days=7][&past_days=0][&temperature_unit=celsius|fahrenheit][&timezone=auto|GMT|<IANA>]
      -> 200 {latitude, longitude, generationtime_ms, utc_offset_seconds, timezone, timezone_abbreviation,
              elevation, hourly_units: {time, <var>, <var>_member01..}, hourly: {time: [...], <var>: [...],
              <var>_member01: [...], ...}}   (the control run has no suffix; members are _memberNN, zero-padded)
      -> 400 {"error": true, "reason": "..."} for an invalid parameter, as the real API answers
  GET /_sim/stats -> {"requests": n, "ensemble_requests": n, "served": n, "faults": {...}}
  POST /_sim/faults?fail=N&rate_limit=N&truncate=N&garbage=N&hang=N -> the armed counters: adds N more of each
      fault while the simulator runs (a soak test's fault schedule); `hang` answers after --hang seconds

Values are deterministic for a given --seed, location, variable, model, start date and unit: a seasonal climate,
a daily cycle peaking mid-afternoon, one shared day-to-day anomaly, and per-member perturbations that grow with lead
time. `timezone=auto` uses a fixed offset of round(longitude / 15) hours.

Faults, applied in this order to /v1/ensemble requests as they arrive (counts are global):
  --fail-first N      the first N requests get 503 {"error":true,"reason":"..."}
  --rate-limit N      the next N requests get 429 with Retry-After: --retry-after seconds (default 1)
  --truncate [N]      the next N (default 1) answers are 200 with the JSON cut in half (Content-Length matches)
  --garbage [N]       the next N (default 1) answers are 200 with an HTML body instead of JSON
  --error-400         every request gets 400 {"error":true,"reason":"Simulated failure: ..."}
  --slow SECONDS      every answer is delayed by SECONDS
  --hang SECONDS      how long a `hang` fault armed through /_sim/faults holds its answer (default 6)

Other options: --port (0 = ephemeral), --seed, --members (total series incl. control, default 31),
--today YYYY-MM-DD (pin the first forecast day; default: today in the requested time zone), --watch-stdin
(exit when stdin closes), --verbose.

Python standard library only.
"""

import argparse
import datetime
import json
import math
import os
import random
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_server import JSONHandler, serve  # noqa: E402

MODELS = {"gfs_seamless", "gfs025", "gfs05", "ncep_gefs_seamless", "ncep_gefs025", "ncep_gefs05"}
# variable -> (unit kind, base offset in the variable's own unit)
VARIABLES = {
    "temperature_2m": "temperature",
    "apparent_temperature": "temperature",
    "dew_point_2m": "temperature",
    "relative_humidity_2m": "percent",
    "precipitation": "millimetre",
    "wind_speed_10m": "speed",
}


class Faults:
    """Fault counters shared by the handler threads."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.fail_first = args.fail_first
        self.rate_limit = args.rate_limit
        self.truncate = args.truncate
        self.garbage = args.garbage
        self.error_400 = args.error_400
        self.hang = 0
        self.counts = {"503": 0, "429": 0, "truncated": 0, "garbage": 0, "400": 0, "hang": 0}
        self.requests = 0
        self.ensemble_requests = 0
        self.served = 0

    def next_fault(self):
        """The fault for the next ensemble request, or None for a good answer."""
        with self.lock:
            self.ensemble_requests += 1
            if self.error_400:
                self.counts["400"] += 1
                return "400"
            for name, key in (("fail_first", "503"), ("rate_limit", "429"), ("truncate", "truncated"),
                              ("garbage", "garbage"), ("hang", "hang")):
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    self.counts[key] += 1
                    return key
            self.served += 1
            return None

    def arm(self, query):
        """Adds the counts in a /_sim/faults query to the pending faults; returns what is armed now."""
        names = {"fail": "fail_first", "rate_limit": "rate_limit", "truncate": "truncate", "garbage": "garbage",
                 "hang": "hang"}
        with self.lock:
            for key, values in query.items():
                if key not in names:
                    raise BadRequest("unknown fault %s" % key)
                setattr(self, names[key], getattr(self, names[key]) + int(values[-1]))
            return {key: getattr(self, name) for key, name in names.items()}


class BadRequest(Exception):
    pass


def parse_float(query, name):
    try:
        return float(query[name][0])
    except (KeyError, ValueError, IndexError):
        raise BadRequest("Value of type 'Float' required for key '%s'." % name)


def parse_int(query, name, default, low, high, label):
    if name not in query:
        return default
    try:
        value = int(query[name][0])
    except ValueError:
        raise BadRequest("Value of type 'Int' required for key '%s'." % name)
    if value < low or value > high:
        raise BadRequest("%s is invalid. Allowed range %d to %d. Given %d." % (label, low, high, value))
    return value


def resolve_timezone(name, longitude, today):
    """(offset seconds, reported name, abbreviation) for the request's timezone parameter."""
    if name in ("", "GMT", "UTC"):
        return 0, "GMT", "GMT"
    if name == "auto":
        hours = int(round(longitude / 15.0))
        label = "GMT%+d" % hours if hours else "GMT"
        return hours * 3600, label, label
    try:
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(name)
    except Exception:
        raise BadRequest("Invalid timezone")
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=zone)
    return int(noon.utcoffset().total_seconds()), name, noon.tzname() or name


def climate_celsius(latitude, day_of_year):
    """A plausible daily-mean temperature for a latitude and day of the year."""
    season = math.cos(2 * math.pi * (day_of_year - 200) / 365.25)
    hemisphere = 1 if latitude >= 0 else -1
    return 14 - 0.45 * (abs(latitude) - 35) + 11 * season * hemisphere


def series_values(args, variable, model, latitude, longitude, start, days, member, unit):
    """One member's hourly values (member 0 is the control run)."""
    key = "%d|%.4f|%.4f|%s|%s|%s" % (args.seed, latitude, longitude, variable, model, start.isoformat())
    shared = random.Random(key + "|anomaly")
    anomalies = []
    level = 0.0
    for _ in range(days):
        level = 0.6 * level + shared.gauss(0, 3.0)
        anomalies.append(level)
    own = random.Random(key + "|member|%d" % member)
    kind = VARIABLES[variable]
    values = []
    for day in range(days):
        spread = 0.0 if member == 0 else own.gauss(0, 0.8 + 0.45 * day)
        date = start + datetime.timedelta(days=day)
        base = climate_celsius(latitude, date.timetuple().tm_yday) + anomalies[day] + spread
        for hour in range(24):
            cycle = math.sin(2 * math.pi * (hour - 9) / 24.0)
            noise = own.gauss(0, 0.3)
            if kind == "temperature":
                celsius = base + 6.0 * cycle + noise - (5.0 if variable == "dew_point_2m" else 0.0)
                value = celsius * 9.0 / 5.0 + 32.0 if unit == "fahrenheit" else celsius
            elif kind == "percent":
                value = min(100.0, max(5.0, 65 - 20 * cycle + 3 * spread + 5 * noise))
            elif kind == "millimetre":
                value = max(0.0, (anomalies[day] + spread) * 0.2 + noise)
            else:
                value = max(0.0, 12 + 4 * cycle + 2 * spread + 3 * noise)
            values.append(round(value, 1))
    return values


def build_response(args, query):
    latitude = parse_float(query, "latitude")
    longitude = parse_float(query, "longitude")
    if not -90 <= latitude <= 90:
        raise BadRequest("Latitude must be in range of -90 to 90°. Given: %s." % latitude)
    if not -180 <= longitude <= 180:
        raise BadRequest("Longitude must be in range of -180 to 180°. Given: %s." % longitude)
    forecast_days = parse_int(query, "forecast_days", 7, 0, 35, "Forecast days")
    past_days = parse_int(query, "past_days", 0, 0, 92, "Past days")
    unit = query.get("temperature_unit", ["celsius"])[0]
    if unit not in ("celsius", "fahrenheit"):
        raise BadRequest("Cannot initialize TemperatureUnit from invalid String value %s." % unit)
    models = [m for m in query.get("models", ["gfs_seamless"])[0].split(",") if m]
    for model in models:
        if model not in MODELS:
            raise BadRequest("Cannot initialize EnsembleMultiDomains from invalid String value %s." % model)
    if len(models) != 1:
        raise BadRequest("Simulator serves exactly one model per request.")
    model = models[0]
    variables = [v for v in ",".join(query.get("hourly", [])).split(",") if v]
    for variable in variables:
        if variable not in VARIABLES:
            raise BadRequest("Cannot initialize EnsembleVariableWithoutMember from invalid String value %s." % variable)
    provisional = args.today or datetime.datetime.now(datetime.timezone.utc).date()
    offset, zone_name, abbreviation = resolve_timezone(query.get("timezone", ["GMT"])[0], longitude, provisional)
    if args.today is None:
        provisional = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)).date()
    start = provisional - datetime.timedelta(days=past_days)
    days = past_days + forecast_days
    times = ["%sT%02d:00" % ((start + datetime.timedelta(days=d)).isoformat(), h) for d in range(days) for h in range(24)]
    units = {"time": "iso8601"}
    hourly = {"time": times}
    unit_names = {"temperature": "°F" if unit == "fahrenheit" else "°C", "percent": "%", "millimetre": "mm",
                  "speed": "km/h"}
    for variable in variables:
        label = unit_names[VARIABLES[variable]]
        for member in range(args.members):
            key = variable if member == 0 else "%s_member%02d" % (variable, member)
            hourly[key] = series_values(args, variable, model, latitude, longitude, start, days, member, unit)
            units[key] = label
    response = {
        "latitude": round(latitude * 4) / 4.0,
        "longitude": round(longitude * 4) / 4.0,
        "generationtime_ms": 1.25,
        "utc_offset_seconds": offset,
        "timezone": zone_name,
        "timezone_abbreviation": abbreviation,
        "elevation": 10.0,
    }
    if variables:
        response["hourly_units"] = units
        response["hourly"] = hourly
    return response


def make_handler(args, faults):
    class Handler(JSONHandler):
        def do_GET(self):
            with faults.lock:
                faults.requests += 1
            url = urlsplit(self.path)
            if url.path == "/_sim/stats":
                with faults.lock:
                    stats = {"requests": faults.requests, "ensemble_requests": faults.ensemble_requests,
                             "served": faults.served, "faults": dict(faults.counts)}
                return self.send_json(200, stats)
            if url.path != "/v1/ensemble":
                return self.send_json(404, {"error": True, "reason": "Not Found"})
            fault = faults.next_fault()
            if args.slow > 0:
                time.sleep(args.slow)
            if fault == "hang":
                time.sleep(args.hang)
            if fault == "400":
                return self.send_json(400, {"error": True, "reason": "Simulated failure: the request was refused"})
            if fault == "503":
                return self.send_json(503, {"error": True, "reason": "Service temporarily unavailable"})
            if fault == "429":
                return self.send_json(429, {"error": True, "reason": "Too many concurrent requests"},
                                      headers={"Retry-After": str(args.retry_after)})
            if fault == "garbage":
                return self.send_bytes(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>\n", "text/html")
            try:
                body = build_response(args, parse_qs(url.query, keep_blank_values=True))
            except BadRequest as error:
                return self.send_json(400, {"error": True, "reason": str(error)})
            if fault == "truncated":
                text = json.dumps(body, separators=(",", ":")).encode("utf-8")
                return self.send_bytes(200, text[: len(text) // 2])
            self.send_json(200, body)

        def do_POST(self):
            url = urlsplit(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path != "/_sim/faults":
                return self.send_json(404, {"error": True, "reason": "Not Found"})
            try:
                return self.send_json(200, faults.arm(parse_qs(url.query)))
            except (BadRequest, ValueError) as error:
                return self.send_json(400, {"error": True, "reason": str(error)})

    return Handler


def main():
    parser = argparse.ArgumentParser(description="Open-Meteo ensemble API simulator (127.0.0.1 only).")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--members", type=int, default=31)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--rate-limit", type=int, default=0)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--truncate", type=int, nargs="?", const=1, default=0)
    parser.add_argument("--garbage", type=int, nargs="?", const=1, default=0)
    parser.add_argument("--error-400", action="store_true")
    parser.add_argument("--slow", type=float, default=0.0)
    parser.add_argument("--hang", type=float, default=6.0)
    parser.add_argument("--watch-stdin", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.members < 1:
        parser.error("--members must be at least 1")
    faults = Faults(args)

    def configure(server):
        server.verbose = args.verbose

    serve(make_handler(args, faults), args.port, configure=configure, watch_stdin=args.watch_stdin)


if __name__ == "__main__":
    main()
