import Foundation
import NightshiftTestSupport
import Testing

/// The stock bot end to end: the built `nightshift` running the real alpaca-stream, quote-momentum and alpaca-broker
/// plugins from YAML against the Alpaca simulators, one fault kind per test, read back from the JSON event lines.
///
/// Each test asserts the story the events tell and what the simulators counted, never how long anything took; the
/// `--for` durations only bound the runs. The orders side is in `StockBotEndToEndTests+Orders.swift`.
@Suite(.serialized) struct StockBotEndToEndTests {
    /// The checks every run shares: the secret never printed, and (unless escalated) a clean stop.
    static func expectHealthyRun(_ run: StockBotRun, escalated: Bool = false) {
        #expect(!run.stdout.contains(StockBotDeployment.secret) && !run.stderr.contains(StockBotDeployment.secret))
        #expect(run.status == (escalated ? 75 : 0), "\(run.story)")
        if escalated {
            #expect(run.count("host_escalated") == 1, "\(run.story)")
        } else {
            #expect(run.count("run_limit_reached") == 1, "the bot ran until --for ended: \(run.story)")
            #expect(run.stopped?.fields["clean"] as? Bool == true, "\(run.story)")
        }
    }

    // MARK: - Stream faults

    @Test func aDroppedStreamReconnectsAuthenticatesAndResubscribes() throws {
        try withAlpacaSims(stream: ["--drop-after", "30", "--faulty-connections", "1"]) { stream, orders in
            let run = try StockBotDeployment(streamPort: stream.port, ordersPort: orders.port).run(for: "4s")
            Self.expectHealthyRun(run)

            let drop = try #require(run.index(of: "stream_disconnected"), "\(run.story)")
            #expect(run.events[drop].text("reason")?.contains("1006") == true, "dropped without a close frame")
            #expect(run.events[drop].number("consecutive") == 1, "the first link was healthy: the count started over")
            let again = try #require(run.index(of: "stream_connected", after: drop), "\(run.story)")
            #expect(run.events[again].number("attempt") == 2)
            let resubscribed = try #require(run.index(of: "stream_subscribed", after: again), "\(run.story)")
            #expect(run.events[resubscribed].fields["resubscribed"] as? Bool == true)
            #expect(run.count("stream_disconnected") == 1, "\(run.story)")

            // The simulator saw the second link authenticate and subscribe again, and data flowed on it.
            let stats = try stream.counters()
            #expect(stats["connections"] == 2 && stats["authenticated"] == 2 && stats["subscriptions"] == 2, "\(stats)")
            #expect((stats["data_messages"] ?? 0) > 30, "\(stats)")
            let emitted = try #require(run.stopped?.number("events_emitted"))
            #expect(emitted > 30, "quotes of the second link reached the bus")
        }
    }

    @Test func aFlappingStreamGivesUpAfterTooManyFailuresInARowAndEscalates() throws {
        try withAlpacaSims(stream: ["--flap"]) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.reconnect =
                "{base_delay: 20ms, max_delay: 100ms, healthy_after: 5s, idle_timeout: 2s, max_consecutive_failures: 4}"
            let run = try deployment.run(for: "20s")
            Self.expectHealthyRun(run, escalated: true)

            // Each link connects and drops at once, never healthy: the count grows until the policy gives up.
            #expect(run.all("stream_disconnected").map { $0.number("consecutive") } == [1, 2, 3], "\(run.story)")
            let gaveUp = try #require(run.all("stream_gave_up").first, "\(run.story)")
            #expect(gaveUp.number("consecutive") == 4)
            #expect(run.count("run_limit_reached") == 0, "escalated long before --for ended")
            let stats = try stream.counters()
            #expect(stats["connections"] == 4 && stats["authenticated"] == 0, "\(stats)")
        }
    }

    @Test func aSilentStreamStallsAndReconnects() throws {
        try withAlpacaSims(stream: ["--silence-after", "20", "--faulty-connections", "1"]) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.reconnect =
                "{base_delay: 50ms, max_delay: 200ms, healthy_after: 5s, idle_timeout: 1s, max_consecutive_failures: 10}"
            let run = try deployment.run(for: "5s")
            Self.expectHealthyRun(run)

            // Half-open: the server neither sends nor answers pings, so only the idle timer can notice.
            let stall = try #require(run.index(of: "stream_stalled"), "\(run.story)")
            #expect((run.events[stall].number("idle_ms") ?? 0) >= 1000)
            let disconnect = try #require(run.index(of: "stream_disconnected", after: stall), "\(run.story)")
            #expect(run.events[disconnect].text("reason")?.hasPrefix("stalled") == true)
            let again = try #require(run.index(of: "stream_connected", after: disconnect), "\(run.story)")
            #expect(run.events[again].number("attempt") == 2)
            #expect(run.index(of: "stream_subscribed", after: again) != nil, "\(run.story)")

            let stats = try stream.counters()
            let connections = stats["connections"] ?? 0
            #expect(connections >= 2, "\(stats)")
            #expect(stats["authenticated"] == connections && stats["subscriptions"] == connections, "\(stats)")
            #expect((stats["data_messages"] ?? 0) > 20, "data flowed again after the reconnect: \(stats)")
        }
    }

    @Test func anAuthRefusalStopsAtOnceWithASingleConnection() throws {
        try withAlpacaSims(stream: ["--reject-auth"]) { stream, orders in
            let run = try StockBotDeployment(streamPort: stream.port, ordersPort: orders.port).run(for: "20s")
            Self.expectHealthyRun(run, escalated: true)

            let gaveUp = try #require(run.all("stream_gave_up").first, "\(run.story)")
            #expect(gaveUp.text("reason")?.contains("402") == true, "\(gaveUp.message)")
            #expect(run.count("stream_disconnected") == 0, "a refused login is not retried: \(run.story)")
            #expect(run.count("stream_connected") == 1)
            let stats = try stream.counters()
            #expect(stats["connections"] == 1 && stats["authenticated"] == 0, "\(stats)")
        }
    }

    @Test func aRetryableStreamErrorReconnects() throws {
        // 406 connection limit exceeded: another connection may go away, so the plugin asks for a reconnect.
        let faults = ["--error", "406", "--error-on", "auth", "--faulty-connections", "2"]
        try withAlpacaSims(stream: faults) { stream, orders in
            let run = try StockBotDeployment(streamPort: stream.port, ordersPort: orders.port).run(for: "4s")
            Self.expectHealthyRun(run)

            let disconnects = run.all("stream_disconnected")
            #expect(disconnects.map { $0.number("consecutive") } == [1, 2], "\(run.story)")
            #expect(disconnects.allSatisfy { $0.text("reason")?.contains("406") == true }, "\(run.story)")
            #expect(run.all("stream_connected").map { $0.number("attempt") } == [1, 2, 3], "\(run.story)")
            #expect(run.count("stream_subscribed") == 1 && run.count("stream_gave_up") == 0, "\(run.story)")
            let stats = try stream.counters()
            #expect(stats["connections"] == 3 && stats["authenticated"] == 1, "\(stats)")
            #expect((stats["data_messages"] ?? 0) > 0)
        }
    }

    @Test func aBurstIsDeliveredInFull() throws {
        // 2,000 quotes at once after the subscription, then the next one only after ten seconds: past the run.
        let burst = 2000
        try withAlpacaSims(stream: ["--burst", "\(burst)", "--rate", "0.1"]) { stream, orders in
            let run = try StockBotDeployment(streamPort: stream.port, ordersPort: orders.port).run(for: "5s")
            Self.expectHealthyRun(run)

            #expect(try stream.counters()["data_messages"] == burst)
            let stopped = try #require(run.stopped, "\(run.story)")
            #expect(stopped.number("events_emitted") == Double(burst), "every quote became an event")
            #expect(stopped.number("events_delivered") == Double(burst), "and reached the strategy")
            #expect(run.count("stream_disconnected") == 0 && run.count("stream_malformed") == 0, "\(run.story)")
        }
    }
}
