import Foundation
import NightshiftConfig
import NightshiftEvents
import Testing
@testable import NightshiftHost

/// The deployment the replay tests record and replay, its plugins, and how to run `record` and `replay` on it.
///
/// A poll source (quotes through `http_peer.py`'s /echo) and a stream source (trades from `ws_peer.py`'s /stream)
/// feed two c-threshold strategies and the example strategy, all routing to `venue`, a broker that is not the paper
/// broker, so a replay has to swap it. `dip-msft` orders 5 against `max_order_qty: 3`, so every one of its signals is
/// a blocked trade. The c-threshold decisions depend only on the quotes; the example strategy's also depend on its
/// fills (one order per symbol at a time, a position limit), which is what a replay's settling makes repeatable.
struct ReplayFixture {
    static let apiKey = "s3cr3t-quotes-key-42"
    static let prices = "[101, 99, 102, 98, 103, 97.5]"

    let builder: CPluginBuilder
    let directory: TemporaryDirectory

    init() throws {
        builder = try CPluginBuilder()
        directory = try TemporaryDirectory()
        let source = "Tests/NightshiftHostTests/Fixtures/replay_quotes_plugin.c"
        _ = try builder.build(source, name: "replay_quotes_poll")
        _ = try builder.build(source, name: "replay_quotes_stream", defines: ["REPLAY_QUOTES_STREAM"])
        _ = try builder.build("plugins/c-threshold/threshold.c", name: "libc-threshold")
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/uncertain_broker_plugin.c", name: "uncertain_broker")
    }

    func remove() {
        builder.remove()
        directory.remove()
    }

    var dataDirectory: String { directory.path + "/data" }

    /// Writes the deployment as `name` and returns its path.
    ///
    /// - Parameter apiKey: when true the sources take `${QUOTES_API_KEY}` (a secret by its name) as their key.
    func writeDeployment(
        _ name: String = "deployment.yaml", httpPort: Int = 1, wsPort: Int = 1, prices: String = Self.prices,
        apiKey: Bool = false
    ) throws -> String {
        let key = apiKey ? ", api_key: \"${QUOTES_API_KEY}\"" : ""
        return try directory.write(name, """
            host:
              name: replay-test
              plugin_dirs: [\(builder.directory.path), \(CLIProcess.productsDirectory.path)]
              data_dir: \(dataDirectory)
              shutdown_timeout: 10s
            events:
              store: sqlite
              stdout: json
            risk:
              max_order_qty: 3
            instances:
              - name: venue
                plugin: uncertain_broker
              - name: rates
                plugin: replay_quotes_poll
                schedule: {every: 150ms}
                retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
                config: {url: "http://127.0.0.1:\(httpPort)/echo", symbol: AAPL, prices: \(prices)\(key)}
              - name: trades
                plugin: replay_quotes_stream
                reconnect: {base_delay: 50ms, max_delay: 100ms, max_consecutive_failures: 1000, healthy_after: 30s, idle_timeout: 10s}
                config: {url: "ws://127.0.0.1:\(wsPort)/stream?data=3&then=drop", symbol: MSFT\(key)}
              - name: dip-aapl
                plugin: c-threshold
                subscribe: [rates]
                route_to: venue
                config: {symbol: AAPL, below: 100, quantity: 1}
              - name: dip-msft
                plugin: c-threshold
                subscribe: [trades]
                route_to: venue
                config: {symbol: MSFT, below: 100.5, quantity: 5}
              - name: streaks
                plugin: example-strategy
                subscribe: [rates, trades]
                route_to: venue
                config: {streak: 2, quantity: 1, max_position: 2}
            """)
    }

    /// Writes a recording made of `entries` (after a header) and returns its path.
    func writeRecording(_ name: String, _ entries: [RecordingEntry], startedAt: Int64 = 1_700_000_000_000_000_000) throws -> String {
        let header = RecordingHeader(deployment: "deployment.yaml", host: "replay-test", runID: "handmade", startedAt: startedAt, instances: [])
        let lines = ([.header(header)] + entries).map(\.jsonLine).joined(separator: "\n") + "\n"
        return try directory.write(name, lines)
    }

    /// The answer /echo gives to the poll source's request for `price`.
    static func echo(price: String, key: String = "", cycle: Int, time: Int64, status: Int = 200, port: Int = 1) -> RecordingEntry {
        let path = "/echo?symbol=AAPL&p=\(price)&key=\(key)"
        return .http(RecordedExchange(
            instance: "rates", cycle: cycle, time: time, method: "GET", url: "http://127.0.0.1:\(port)\(path)", status: status,
            headers: [RecordedHeader(name: "content-type", value: "application/json")],
            body: Array(#"{"method": "GET", "path": "\#(path)"}"#.utf8)))
    }

    // MARK: - Running the CLI

    /// The outcome of one `nightshift replay --json`.
    struct Replayed {
        var result: CLIProcess.Result
        var summary: [String: Any]
        var rows: [EventRecord]

        func rows(_ type: String) -> [EventRecord] { rows.filter { $0.eventType == type } }
    }

    /// Runs `nightshift replay <config> --from <recording> --json` into a fresh event directory.
    func replay(_ config: String, from recording: String, speed: String = "max", environment: [String: String] = [:]) throws -> Replayed {
        let events = directory.path + "/replay-\(UUID().uuidString)"
        let result = try CLIProcess.run(
            ["replay", config, "--from", recording, "--speed", speed, "--events-dir", events, "--json"], environment: environment)
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        let rows = FileManager.default.fileExists(atPath: events + "/events.sqlite")
            ? try SQLiteEventStore(path: events + "/events.sqlite").query(EventFilter(limit: 100_000)).sorted { $0.id < $1.id } : []
        return Replayed(result: result, summary: summary, rows: rows)
    }

    /// The JSON event lines a `record` or `run` printed.
    static func events(_ stdout: String) -> [[String: Any]] {
        stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}

extension EventRecord {
    func text(_ key: String) -> String? { fields[key]?.stringValue }

    func number(_ key: String) -> Double? {
        switch fields[key] {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}

/// The fixture's own checks: the deployment it writes loads, and replay swaps its broker as documented.
@Suite struct ReplayFixtureTests {
    @Test func everyBrokerBecomesAPaperBrokerFedByItsStrategiesSources() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let path = try fixture.writeDeployment()
        let deployment = try ConfigLoader.load(path: path, environment: [:])
        let (prepared, store) = try ReplayDeployment.prepare(deployment, eventDirectory: fixture.directory.path + "/r")

        let venue = try #require(prepared.instances.first { $0.settings.name == "venue" })
        #expect(venue.plugin.info.name == "paper-broker")
        #expect(venue.settings.subscribe == ["rates", "trades"])
        // Everything else runs the deployment's own plugins.
        #expect(prepared.instances.map(\.plugin.info.name) == [
            "paper-broker", "replay-quotes-poll", "replay-quotes-stream", "c-threshold", "c-threshold", "example-strategy",
        ])
        #expect(prepared.instances.first { $0.settings.name == "dip-aapl" }?.settings.routeTo == "venue")
        // Events never go to the production store or to stdout.
        #expect(store == fixture.directory.path + "/r/events.sqlite")
        #expect(prepared.deployment.events.path == store)
        #expect(prepared.deployment.events.stdout == .none)
        #expect(prepared.deployment.host.dataDirectory == fixture.directory.path + "/r")
    }
}
