import Foundation
import Testing

/// An order whose submit outcome is unknown is reconciled by query — never resubmitted — and its partial fill is
/// tracked to completion.
@Suite struct OrderReconciliationTests {
    @Test func anUnknownOutcomeIsReconciledByQueryAndNeverResubmitted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/uncertain_broker_plugin.c", name: "libuncertain-broker")
        _ = try builder.build("plugins/c-threshold/threshold.c", name: "libc-threshold")
        let config = try directory.write("d.yaml", """
            host: {plugin_dirs: [\(builder.directory.path), \(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data}
            instances:
              - name: venue
                plugin: uncertain-broker
              - name: quotes
                plugin: synthetic-quotes
                schedule: {every: 100ms}
                config: {symbols: [AAPL], quotes_per_cycle: 5}
              - name: buyer
                plugin: c-threshold
                subscribe: [quotes]
                route_to: venue
                config: {symbol: AAPL, below: 100000, quantity: 4}
            """)
        let result = try CLIProcess.run(["run", config, "--for", "4s"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let events = RunCommandTests.events(result.stdout)
        func count(_ type: String) -> Int { events.filter { $0["type"] as? String == type }.count }
        #expect(count("order_submitted") == 1)
        #expect(count("venue_submit") == 1, "the order reached the venue exactly once")
        #expect(count("order_unknown") == 1)
        #expect(count("order_reconciled") == 1)
        let fills = events.filter { $0["type"] as? String == "trade_executed" }.compactMap { $0["fields"] as? [String: Any] }
        #expect(fills.map { $0["status"] as? String } == ["partially_filled", "filled"])
        #expect(fills.map { $0["qty"] as? Double } == [2, 2])
        #expect(fills.last?["filled_qty"] as? Double == 4)
    }

    @Test func thePositionLimitCountsOrdersStillInFlight() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/uncertain_broker_plugin.c", name: "libuncertain-broker")
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/burst_strategy_plugin.c", name: "libburst")
        let config = try directory.write("d.yaml", """
            host: {plugin_dirs: [\(builder.directory.path), \(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data}
            risk: {max_position: 30}
            instances:
              - name: venue
                plugin: uncertain-broker
              - name: quotes
                plugin: synthetic-quotes
                schedule: {every: 100ms}
                config: {symbols: [AAPL], quotes_per_cycle: 5}
              - name: burst
                plugin: burst
                subscribe: [quotes]
                route_to: venue
                config: {orders: 10, quantity: 10}
            """)
        let result = try CLIProcess.run(["run", config, "--for", "1s"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let events = RunCommandTests.events(result.stdout)
        // Ten orders of 10 in one batch against max_position 30: three go, seven are blocked although none has filled.
        #expect(events.filter { $0["type"] as? String == "order_submitted" }.count == 3)
        let blocked = events.filter { $0["type"] as? String == "trade_blocked" }.compactMap { $0["fields"] as? [String: Any] }
        #expect(blocked.count == 7)
        #expect(blocked.allSatisfy { ($0["reason"] as? String)?.contains("beyond max_position 30") == true })
    }
}
