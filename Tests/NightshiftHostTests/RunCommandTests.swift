import Foundation
import Testing

/// `nightshift run` end to end: real `.so` plugins (Swift and C) loaded through the real ABI from YAML, stopped by
/// SIGTERM, with every accepted event delivered and every event row written.
@Suite(.serialized) struct RunCommandTests {
    /// A deployment with a Swift source, a Swift and a C strategy, and a Swift broker.
    static func deployment(pluginDirectory: String, dataDirectory: String) -> String {
        """
        host:
          name: test-host
          plugin_dirs: [\(pluginDirectory), \(CLIProcess.productsDirectory.path)]
          data_dir: \(dataDirectory)
          shutdown_timeout: 10s
        events:
          store: sqlite
          stdout: json
        risk:
          max_position: 1000000
        instances:
          - name: paper
            plugin: paper-broker
            subscribe: [quotes]
          - name: quotes
            plugin: synthetic-quotes
            schedule: {every: 100ms}
            config: {symbols: [AAPL, MSFT], quotes_per_cycle: 50, seed: 3, step: 0.004}
          - name: reversion
            plugin: mean-reversion
            subscribe: [quotes]
            route_to: paper
            config: {symbols: [AAPL, MSFT], window: 20, threshold: 0.001, quantity: 1, max_position: 5}
          - name: dip-buyer
            plugin: c-threshold
            subscribe: [quotes]
            route_to: paper
            config: {symbol: AAPL, below: 1000, quantity: 1}
        """
    }

    /// Parses the JSON event lines the host printed on stdout.
    static func events(_ stdout: String) -> [[String: Any]] {
        stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    @Test func runsSwiftAndCPluginsTogetherAndStopsCleanlyOnSIGTERM() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("plugins/c-threshold/threshold.c", name: "libc-threshold")
        let config = try directory.write(
            "deployment.yaml", Self.deployment(pluginDirectory: builder.directory.path, dataDirectory: directory.path + "/data"))

        let running = try CLIProcess.start(["run", config])
        // Give the sources time to emit and the strategies to trade; the assertions below do not depend on how long.
        Thread.sleep(forTimeInterval: 2)
        running.signal(SIGTERM)
        let result = running.wait()
        #expect(result.status == 0, "stderr: \(result.stderr)")

        let events = Self.events(result.stdout)
        let types = events.compactMap { $0["type"] as? String }
        #expect(types.filter { $0 == "plugin_started" }.count == 4)
        #expect(types.contains("shutdown_requested"))
        let started = events.compactMap { $0["type"] as? String == "plugin_started" ? $0["instance"] as? String : nil }
        #expect(started.first == "paper", "brokers start first")
        #expect(started.last == "quotes", "sources start last")

        // Both strategies, one Swift and one C, traded through the broker.
        let submittedBy = Set(events.filter { $0["type"] as? String == "order_submitted" }.compactMap { $0["instance"] as? String })
        #expect(submittedBy.isSuperset(of: ["reversion", "dip-buyer"]))
        #expect(types.contains("trade_executed"))

        // Every accepted event was delivered to each of its three subscribers before the host stopped.
        let stopped = try #require(events.last { $0["type"] as? String == "host_stopped" })
        let fields = try #require(stopped["fields"] as? [String: Any])
        let emitted = try #require(fields["events_emitted"] as? Int)
        #expect(emitted > 0)
        #expect(fields["events_delivered"] as? Int == emitted * 3)
        #expect(fields["clean"] as? Bool == true)

        // Every event printed was also written to the store (flushed before exit).
        let summary = try CLIProcess.run(["events", "summary", "--config", config, "--since", "1h", "--json"])
        #expect(summary.status == 0, "stderr: \(summary.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [[String: Any]])
        let stored = rows.reduce(0) { $0 + (($1["count"] as? Int) ?? 0) }
        #expect(stored == events.count)

        // The report of the period is one self-contained, well-formed document holding the same events.
        let report = directory.url.appendingPathComponent("report.html").path
        let written = try CLIProcess.run(["report", "--config", config, "--since", "1h", "-o", report])
        #expect(written.status == 0, "stderr: \(written.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "no outside assets")
        #expect(html.contains("trade_executed"))
        #expect(html.contains("order_submitted"))
    }

    @Test func aPluginThatCannotBeCreatedIsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("deployment.yaml", """
            host: {plugin_dirs: [\(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data}
            instances:
              - name: reversion
                plugin: mean-reversion
                config: {symbols: [AAPL], window: 20, threshold: 0.001, quantity: 10, max_position: 5}
            """)
        let result = try CLIProcess.run(["run", config])
        #expect(result.status == 78)
        #expect(result.stdout.contains("host_start_failed"))
        #expect(result.stdout.contains("max_position"))
    }
}
