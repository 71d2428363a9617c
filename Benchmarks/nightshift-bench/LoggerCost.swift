import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// P4: the calling thread's cost of logging one event with 10 fields, beside serialising the same event with
/// Foundation's `JSONSerialization`.
///
/// Two logging paths are timed: the host's `EventLog.record` (what every host event and plugin `ns_host.log` goes
/// through) and NightshiftEvents' `Logger.event` into an `EventLogHandler`. Both end in the real store sink, an
/// `EventWriter` on SQLite, which only enqueues on the caller's thread. Calls are timed in rounds smaller than the
/// writer's batch, and the writer drains between rounds, so the figure is the caller's cost at a realistic queue
/// depth, not the cost of waiting for a writer busy with a backlog.
struct LoggerCost {
    let settings: BenchSettings
    let workspace: BenchWorkspace

    static let target = 300.0

    /// The 10 fields, as the host's log API takes them.
    static let hostFields: [String: HostLogValue] = [
        "symbol": .string("AAPL"), "bid": .double(187.5), "ask": .double(187.52), "bid_size": .int(300),
        "ask_size": .int(200), "venue": .string("V"), "sequence": .int(48_213), "stale": .bool(false),
        "spread_bps": .double(1.07), "latency_us": .int(412),
    ]

    static let message = "quote crossed the entry threshold"

    func measure() throws -> [Figure] {
        let baseline = jsonSerialization()
        let host = try hostEventLog()
        let logger = try eventsLogger()
        return [
            Figure(
                id: "P4", label: "host EventLog.record, 10 fields, caller ns/event", value: host.perCall,
                unit: .nanoseconds, baselineLabel: "JSONSerialization of the same event", baseline: baseline,
                targets: [.init(bound: .valueAtMost(Self.target))], note: host.note),
            Figure(
                id: "P4", label: "Logger.event, 10 fields, caller ns/event", value: logger.perCall, unit: .nanoseconds,
                baselineLabel: "JSONSerialization of the same event", baseline: baseline,
                targets: [.init(bound: .valueAtMost(Self.target))], note: logger.note),
        ]
    }

    private struct Timed {
        var perCall: Double
        var note: String
    }

    // MARK: - The paths

    private func hostEventLog() throws -> Timed {
        let directory = try workspace.subdirectory("p4-host")
        let capacity = settings.loggerCallsPerRound * 4
        let text = """
            host: {name: bench, data_dir: \(directory.path)}
            events: {store: sqlite, stdout: none, queue_capacity: \(capacity)}
            instances: []
            """
        let deployment = try ConfigLoader.load(
            text: text, file: directory.appendingPathComponent("bench.yaml").path, directory: directory.path,
            environment: [:])
        let log = try EventLog(deployment: deployment, runID: EventID.generate(), stdout: false)
        defer { log.flush(timeout: .seconds(10)) }
        let fields = Self.hostFields
        let perCall = rounds(between: { log.writer.flush(timeout: .seconds(10)) }) {
            log.record("quote_seen", level: .info, instance: "strategy", message: Self.message, fields: fields)
        }
        let counters = log.writer.counters
        return Timed(perCall: perCall, note: "median of \(settings.loggerRounds) rounds; \(counters.spooled) spooled")
    }

    private func eventsLogger() throws -> Timed {
        let directory = try workspace.subdirectory("p4-logger")
        let store = try SQLiteEventStore(path: directory.appendingPathComponent("events.sqlite").path)
        try store.migrate()
        let writer = try EventWriter(
            store: store, configuration: .init(spoolPath: directory.appendingPathComponent("events.spool").path))
        defer { writer.shutdown(timeout: .seconds(10)) }
        let context = EventContext(hostInstance: "bench")
        let redactor = Redactor()
        let handler = EventLogHandler(context: context, redactor: redactor, sinks: [writer])
        let logger = Logger(label: "bench-strategy", instance: "strategy", handler: handler)
        let fields = EventFields(Self.hostFields.sorted { $0.key < $1.key }.map { ($0.key, FieldValue($0.value)) })
        let perCall = rounds(between: { writer.flush(timeout: .seconds(10)) }) {
            logger.event("quote_seen", level: .info, message: Self.message, metadata: fields)
        }
        // The share of the caller's time that is redaction, for the report.
        let event = EventRecord(
            eventType: "quote_seen", instance: "strategy", hostInstance: "bench", runId: context.runId,
            message: Self.message, fields: fields)
        let redaction = rounds(between: {}) { _ = redactor.redact(event) }
        return Timed(
            perCall: perCall,
            note: "median of \(settings.loggerRounds) rounds; redaction alone \(FigureUnit.plain(redaction)) ns")
    }

    /// The baseline: the same event as a Foundation dictionary, serialised to JSON bytes.
    private func jsonSerialization() -> Double {
        let runID = EventID.generate()
        var fields: [String: Any] = [:]
        for (key, value) in Self.hostFields {
            switch value {
            case .string(let text): fields[key] = text
            case .int(let number): fields[key] = number
            case .double(let number): fields[key] = number
            case .bool(let flag): fields[key] = flag
            }
        }
        let event: [String: Any] = [
            "id": EventID.generate(), "ts": EventTime.nowMicros(), "type": "quote_seen", "level": "info",
            "source": "plugin", "instance": "strategy", "host": "bench", "run_id": runID, "message": Self.message,
            "fields": fields,
        ]
        var bytes = 0
        let perCall = rounds(between: {}) {
            bytes &+= (try? JSONSerialization.data(withJSONObject: event).count) ?? 0
        }
        precondition(bytes > 0, "JSONSerialization produced nothing")
        return perCall
    }

    // MARK: - Timing

    /// Median nanoseconds per `body` call over the rounds; `between` runs untimed after each round.
    private func rounds(between: () -> Void, _ body: () -> Void) -> Double {
        for _ in 0..<settings.loggerCallsPerRound { body() }
        between()
        var perCall: [Double] = []
        for _ in 0..<settings.loggerRounds {
            let start = monotonicNanoseconds()
            for _ in 0..<settings.loggerCallsPerRound { body() }
            perCall.append(Double(monotonicNanoseconds() - start) / Double(settings.loggerCallsPerRound))
            between()
        }
        return median(perCall)
    }
}

extension FieldValue {
    init(_ value: HostLogValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .bool(let flag): self = .bool(flag)
        }
    }
}
