import Foundation
import NightshiftEvents
import Testing

/// The shipped Grafana dashboard is valid JSON, importable (its data sources are declared inputs), and asks only for
/// metrics the host exports and columns `bot_events` has.
@Suite struct GrafanaDashboardTests {
    static let file = CPluginBuilder.root.appendingPathComponent("docs/grafana/nightshift-dashboard.json")

    static func dashboard() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    }

    /// Every Prometheus expression of the dashboard.
    static func expressions(_ dashboard: [String: Any]) -> [String] {
        panels(dashboard).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
    }

    static func panels(_ dashboard: [String: Any]) -> [[String: Any]] {
        dashboard["panels"] as? [[String: Any]] ?? []
    }

    /// The `nightshift_*` names in `text`.
    static func metricNames(_ text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "nightshift_[a-z_]+")
        return Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        })
    }

    @Test func isAnImportableDashboardOverBothDataSources() throws {
        let dashboard = try Self.dashboard()
        let inputs = try #require(dashboard["__inputs"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(Set(inputs) == ["DS_PROMETHEUS", "DS_POSTGRES"])
        let panels = Self.panels(dashboard)
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count && Set(ids).count == ids.count, "every panel has a unique id")
        var sources: Set<String> = []
        for panel in panels where panel["type"] as? String != "row" {
            let source = try #require(panel["datasource"] as? [String: Any])
            sources.insert(try #require(source["uid"] as? String))
            #expect((panel["targets"] as? [[String: Any]])?.isEmpty == false, "\(panel["title"] ?? "")")
        }
        #expect(sources == ["${DS_PROMETHEUS}", "${DS_POSTGRES}"])
        #expect(Self.expressions(dashboard).count >= 10)
    }

    /// Every SQL query of the dashboard (panels and annotations).
    static func queries(_ dashboard: [String: Any]) -> [String] {
        let annotations = (dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        return panels(dashboard).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["rawSql"] as? String } }
            + annotations.compactMap { ($0["target"] as? [String: Any])?["rawSql"] as? String }
    }

    /// `query` with Grafana's PostgreSQL macros expanded as Grafana expands them, for a one-hour range.
    static func expanded(_ query: String) -> String {
        query
            .replacingOccurrences(of: "$__timeGroupAlias(created_at, $__interval)",
                                  with: "date_trunc('minute', created_at) AS \"time\"")
            .replacingOccurrences(of: "$__timeFilter(created_at)",
                                  with: "created_at BETWEEN now() - interval '1 hour' AND now()")
    }

    @Test func everyQueryRunsAgainstARealBotEventsTable() throws {
        guard let url = ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_PG_URL"], !url.isEmpty else {
            Issue.record("NIGHTSHIFT_TEST_PG_URL is not set: run through scripts/with-postgres.sh")
            return
        }
        let schema = "dash_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let store = try PostgresEventStore(url: url, configuration: .init(schema: schema))
        try store.migrate()
        let context = EventContext(hostInstance: "box-1", runId: "run-1")
        try store.insert([
            EventRecord(eventType: "order_submitted", instance: "reversion", hostInstance: context.hostInstance,
                        runId: context.runId, fields: ["symbol": .string("AAPL"), "side": .string("buy"), "qty": .double(1)]),
            EventRecord(eventType: "trade_executed", instance: "reversion", hostInstance: context.hostInstance,
                        runId: context.runId, fields: ["side": .string("buy"), "qty": .double(1), "price": .double(101.5),
                                                       "status": .string("filled")]),
            EventRecord(eventType: "plugin_failed", level: .error, instance: "reversion", hostInstance: context.hostInstance,
                        runId: context.runId, message: "on_events failed"),
        ])
        let queries = Self.queries(try Self.dashboard())
        #expect(queries.count >= 5)
        var rows = 0
        for query in queries {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                                 "SET search_path TO \(schema); " + Self.expanded(query)]
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(query)\n\(problem)")
            rows += text.split(separator: "\n").count
        }
        #expect(rows >= queries.count - 1, "the queries find the rows inserted")
        _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: [
            "psql", url, "-X", "-q", "-c", "DROP SCHEMA \(schema) CASCADE",
        ]).waitUntilExit()
    }
}
