import Synchronization
import Testing
@testable import NightshiftHost

/// Which counters each event type moves, and that the metrics log counts every event and passes it on unchanged.
@Suite struct EventClassifierTests {
    @Test func retriesRestartsFailuresAndOrderOutcomes() {
        var classifier = EventClassifier()
        #expect(classifier.classify("attempt_failed", instance: "q", fields: [:]) == [.retry(instance: "q")])
        #expect(classifier.classify("retry_exhausted", instance: "q", fields: [:]) == [.retryExhausted(instance: "q")])
        #expect(classifier.classify("plugin_failed", instance: "s", fields: [:]) == [.pluginFailure(instance: "s")])
        #expect(classifier.classify("plugin_restarted", instance: "s", fields: [:]) == [.restart(instance: "s")])
        #expect(classifier.classify("order_submitted", instance: "s", fields: [:]) == [.order(instance: "s", outcome: "submitted")])
        #expect(classifier.classify("trade_blocked", instance: "s", fields: [:]) == [.order(instance: "s", outcome: "blocked")])
        #expect(classifier.classify("trade_executed", instance: "s", fields: ["status": .string("filled")])
            == [.order(instance: "s", outcome: "filled")])
        #expect(classifier.classify("trade_executed", instance: "s", fields: ["status": .string("partially_filled")])
            == [.order(instance: "s", outcome: "partially_filled")])
        #expect(classifier.classify("log", instance: "s", fields: [:]).isEmpty)
        #expect(classifier.classify("plugin.attempt_failed", instance: "s", fields: [:]).isEmpty)
    }

    @Test func onlyAConnectionAfterAnEarlierOneIsAReconnect() {
        var classifier = EventClassifier()
        #expect(classifier.classify("stream_disconnected", instance: "iex", fields: [:]).isEmpty)  // a failed first dial
        #expect(classifier.classify("stream_connected", instance: "iex", fields: [:]).isEmpty)
        #expect(classifier.classify("stream_connected", instance: "other", fields: [:]).isEmpty)
        #expect(classifier.classify("stream_disconnected", instance: "iex", fields: [:]).isEmpty)
        #expect(classifier.classify("stream_connected", instance: "iex", fields: [:]) == [.reconnect(instance: "iex")])
        #expect(classifier.classify("stream_connected", instance: "iex", fields: [:]) == [.reconnect(instance: "iex")])
    }

    @Test func theMetricsLogCountsEveryEventAndPassesItOnUnchanged() {
        let collected = CollectingLog()
        let metrics = HostMetrics(version: "9.9.9", abi: "1.0", heartbeatLimit: .seconds(5), storeTrouble: { nil })
        let log = metrics.log(wrapping: collected)
        log.warning("attempt_failed", "quotes", "attempt 1 failed", ["attempt": .int(1)])
        log.warning("attempt_failed", "quotes", "attempt 2 failed", ["attempt": .int(2)])
        log.info("order_submitted", "reversion", "order 1")
        log.record("plugin_restarted", level: .warning, instance: "reversion", message: "restarted", fields: [:])
        for type in ["stream_connected", "stream_disconnected", "stream_connected", "retry_exhausted", "plugin_failed"] {
            log.warning(type, "iex", type)
        }
        #expect(collected.records.map(\.type) == [
            "attempt_failed", "attempt_failed", "order_submitted", "plugin_restarted",
            "stream_connected", "stream_disconnected", "stream_connected", "retry_exhausted", "plugin_failed",
        ])
        #expect(collected.records.first?.fields == ["attempt": .int(1)] && collected.records.first?.level == .warning)
        let text = metrics.registry.render()
        #expect(text.contains(#"nightshift_events_total{type="attempt_failed",instance="quotes"} 2"#))
        #expect(text.contains(#"nightshift_retries_total{instance="quotes"} 2"#))
        #expect(text.contains(#"nightshift_orders_total{instance="reversion",outcome="submitted"} 1"#))
        #expect(text.contains(#"nightshift_restarts_total{instance="reversion"} 1"#))
        #expect(text.contains(#"nightshift_reconnects_total{instance="iex"} 1"#), "the second connection is the reconnect")
        #expect(text.contains(#"nightshift_retries_exhausted_total{instance="iex"} 1"#))
        #expect(text.contains(#"nightshift_plugin_failures_total{instance="iex"} 1"#))
        #expect(text.contains(#"nightshift_build_info{version="9.9.9",abi="1.0"} 1"#))
        #expect(text.contains("nightshift_up 0\n"), "no heartbeat yet")
        #expect(text.contains("nightshift_ready 0\n"))
    }
}

/// A `HostLog` that keeps what it is given, in order.
final class CollectingLog: HostLog {
    struct Record: Sendable {
        var type: String
        var level: HostLogLevel
        var instance: String
        var fields: [String: HostLogValue]
    }

    private let stored = Mutex<[Record]>([])

    var records: [Record] { stored.withLock { $0 } }

    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        stored.withLock { $0.append(Record(type: type, level: level, instance: instance, fields: fields)) }
    }
}
