#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/<target>/) from the fixtures recorded in the repository.

Run from the repository root; it replaces the seed files it owns (named seed-*) and leaves entries a fuzzer added.
Each target's input layout is described in Sources/NightshiftFuzzTargets/Fuzz<Target>.swift.
"""
import glob, json, os, re, struct, zlib

SEP = b"\xff"  # the frame/part separator the targets use (never valid UTF-8)
STATUSES = [200, 200, 200, 201, 400, 401, 404, 409, 422, 429, 500, 503, 0]
KIT = "Tests/NightshiftKitTests/Fixtures"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def status_index(status):
    return bytes([STATUSES.index(status)])


def write(target, seeds):
    folder = f"fuzz/corpus/{target}"
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(f"{folder}/seed-*"):
        os.remove(old)
    for name, data in seeds:
        with open(f"{folder}/seed-{name}", "wb") as f:
            f.write(data)


def plugin_schemas():
    for path in sorted(glob.glob("plugins/*/*Config.swift")):
        match = re.search(r'static let schema = #"""\n(.*?)"""#', open(path).read(), re.S)
        if match:
            yield os.path.basename(os.path.dirname(path)), match.group(1).encode()


def json_seeds():
    seeds = [(os.path.relpath(p, KIT).replace("/", "-"), read(p)) for p in sorted(glob.glob(f"{KIT}/**/*.json", recursive=True))]
    seeds += [(f"error-line-{i}", line) for i, line in enumerate(read(f"{KIT}/alpaca/stream/errors.jsonl").splitlines())]
    seeds += [(f"schema-{name}", text) for name, text in plugin_schemas()]
    return seeds + [("escapes", rb'["\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t",-0.0,1e308,-9223372036854775808,{}]')]


def config_seeds():
    files = sorted(glob.glob("config/*.yaml")) + sorted(glob.glob("Tests/NightshiftConfigTests/Fixtures/**/*.yaml", recursive=True))
    seeds = [(os.path.basename(p), read(p)) for p in files]
    return seeds + [("interpolation", b"host: {name: ${HOME}}\nevents: {store: postgres, url: '${DATABASE_URL}', path: x}\n"
                     b"instances:\n  - name: a\n    plugin: p\n    config: {key: ${FUZZ_API_KEY}, f: '${file:k}', c: ${credential:c}}\n")]


def schema_seeds():
    configs = {
        "alpaca-stream": b'{"key_id":"AK","secret":"s","trades":["AAPL"],"quotes":["AMD"],"bars":["*"]}',
        "alpaca-broker": b'key_id: AK\nsecret: s\nbase_url: http://127.0.0.1:8/\n',
        "open-meteo-ensemble": b'locations:\n  - {name: NYC, latitude: 40.7, longitude: -73.9, timezone: America/New_York}\nforecast_days: 3\n',
        "kalshi-markets": b'series_tickers: [KXHIGHNY]\nmax_pages: 2\n',
        "kalshi-broker": b'key_id: k\nprivate_key: /run/key.pem\n',
    }
    seeds = [("quotes", read("Tests/NightshiftConfigTests/Fixtures/quotes.schema.json") + SEP
              + b"symbols: [AAPL, MSFT]\napi_key: abcdefgh123\ninterval: 3\nvenue: {name: x, port: 1}\n")]
    for name, schema in plugin_schemas():
        seeds.append((name, schema + SEP + configs.get(name, b"{}")))
    return seeds


def event_line(i, fields):
    return json.dumps({"id": f"0190a1b2-0000-7000-8000-00000000000{i}", "time": "2024-05-01T06:07:08.123456Z",
                       "created_at": 1714543628123456 + i, "type": "attempt_failed", "level": "warning",
                       "source": "open-meteo", "instance": "weather", "host_instance": "bot-1",
                       "run_id": "0190a1b2-0000-7000-8000-0000000000ff", "message": "HTTP 503", "fields": fields},
                      separators=(",", ":")).encode()


def spool_seeds():
    lines = [event_line(1, {"attempt": 2, "delay_ms": 800}), event_line(2, {"ratio": 0.25, "ok": True, "why": "x\ny"}),
             event_line(3, {})]
    frame = lambda p: struct.pack("<II", len(p), zlib.crc32(p)) + p
    raw = b"".join(frame(line) for line in lines)
    return [("framed", b"\x01" + b"\n".join(lines)), ("raw", b"\x00" + raw), ("torn", b"\x00" + raw + frame(lines[0])[:20]),
            ("bad-crc", b"\x00" + raw[:-1] + b"!")]


def plugin_info_seeds():
    tail = b"fuzz-plugin1.0.0a plugin{\"type\":\"object\"}"
    strings = bytes([3, 0, 11, 3, 11, 5, 3, 16, 8, 3, 24, 17])
    seeds = []
    for kind in range(4):
        tables = b"".join(bytes([1, 0, 0xFF]) if i == kind else bytes([0, 0, 0]) for i in range(4))
        seeds.append((f"kind-{kind}", bytes([0x77, 0, 1, 1 << kind]) + strings + tables + tail))
    seeds.append(("null-strings", bytes([0x77, 0, 0, 1]) + bytes([0, 0, 5, 1, 0, 0, 2, 0, 0, 0, 0, 0]) + bytes([1, 2, 0xFF]) + bytes(9) + tail))
    seeds.append(("old-header", bytes([0x00, 1, 99, 7, 0, 4]) + strings + bytes(12) + tail))
    return seeds


def stream_seeds():
    stream = f"{KIT}/alpaca/stream"
    handshake = SEP.join(read(f"{stream}/{n}.json").strip() for n in ("connected", "authenticated", "subscription"))
    seeds = [(n, handshake + SEP + read(f"{stream}/{n}.json").strip()) for n in ("trades", "quotes", "bars", "mixed")]
    errors = read(f"{stream}/errors.jsonl").splitlines()
    return seeds + [(f"error-{i}", handshake + SEP + line) for i, line in enumerate(errors)]


def http_seeds(prefix, files):
    return [(f"{os.path.basename(p)}-{status}", prefix + status_index(status) + read(p)) for p, status in files]


def alpaca_broker_seeds():
    folder = f"{KIT}/alpaca/orders"
    statuses = {"error-buying-power": 403, "error-duplicate": 422, "error-not-found": 404, "error-rate-limit": 429}
    seeds = []
    for path in sorted(glob.glob(f"{folder}/*.json")):
        name = os.path.basename(path)[:-5]
        status = statuses.get(name, 200)
        status = status if status in STATUSES else 422
        for call in (0, 1, 0x14):
            seeds.append((f"{name}-{call}", bytes([call]) + status_index(status) + b"\x01" + read(path)))
    return seeds


def kalshi_broker_seeds():
    seeds = [(f"{n}-{c}", bytes([c]) + status_index(201 if c == 0 else 200) + b"\x01" + read(f"{KIT}/kalshi/{n}.json"))
             for n in ("order-resting", "order-executed", "order-partially-filled", "order-canceled-after-partial")
             for c in (0, 1)]
    seeds.append(("orders-list", b"\x01" + status_index(200) + b"\x01" + read(f"{KIT}/kalshi/orders-list.json")))
    seeds += [(n, b"\x00" + status_index(s) + b"\x01" + read(f"{KIT}/kalshi/{n}.json"))
              for n, s in (("error-invalid-price", 400), ("error-rate-limited", 429))]
    return seeds


def main():
    write("json", json_seeds())
    write("config-loader", config_seeds())
    write("config-schema", schema_seeds())
    write("event-spool", spool_seeds())
    write("plugin-info", plugin_info_seeds())
    write("alpaca-stream", stream_seeds())
    write("alpaca-broker", alpaca_broker_seeds())
    om = f"{KIT}/open-meteo"
    write("open-meteo", http_seeds(b"", [(f"{om}/ensemble-small.json", 200), (f"{om}/ensemble-gfs-31-members.json", 200),
                                         (f"{om}/error-400.json", 400)]))
    k = f"{KIT}/kalshi"
    write("kalshi-markets", http_seeds(b"\x00", [(f"{k}/markets-kxhighny-page1.json", 200), (f"{k}/markets-kxhighny-page2.json", 200),
                                                 (f"{k}/error-rate-limited.json", 429)])
          + http_seeds(b"\x01", [(f"{k}/market-single-dollars.json", 200), (f"{k}/error-invalid-price.json", 400)]))
    write("kalshi-broker", kalshi_broker_seeds())


if __name__ == "__main__":
    main()
