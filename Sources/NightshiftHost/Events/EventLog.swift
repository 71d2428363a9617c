import Dispatch
import Foundation
import NightshiftConfig
import NightshiftEvents

/// The host's structured event log: every event goes, redacted, to JSON lines on stdout (or native journald entries
/// when stdout is the journal) and to the configured store through the non-blocking batch writer (with its fsync'd spool when the store is away).
public final class EventLog: HostLog {
    public let context: EventContext
    private let handler: EventLogHandler
    public let writer: EventWriter

    /// Opens the store the deployment names, runs its migrations and starts the writer (which replays any spool a
    /// previous run left behind).
    public init(deployment: Deployment, runID: String, stdout: Bool = true) throws {
        context = EventContext(hostInstance: deployment.host.name, runId: runID)
        let settings = deployment.events
        let store = try EventLog.openStore(settings)
        let spoolDirectory = (deployment.host.dataDirectory as NSString).appendingPathComponent("spool")
        try FileManager.default.createDirectory(atPath: spoolDirectory, withIntermediateDirectories: true)
        writer = try EventWriter(
            store: store,
            configuration: .init(
                spoolPath: (spoolDirectory as NSString).appendingPathComponent("events.spool"),
                queueCapacity: settings.queueCapacity, batchSize: settings.batchSize,
                flushInterval: settings.flushInterval, context: context))
        var sinks: [any EventSink] = [writer]
        // Under systemd with stdout connected to the journal, send native journald fields instead of JSON lines, so
        // each event is one structured journal entry rather than a line to parse (and never both).
        if stdout, ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil, let journal = JournaldSink.systemDefault() {
            sinks.append(journal)
        } else if stdout && settings.stdout == .json {
            sinks.append(JSONLinesSink(fileDescriptor: 1))
        }
        handler = EventLogHandler(context: context, redactor: Redactor(secrets: deployment.secrets), sinks: sinks)
    }

    /// Opens (and migrates) the event store described by `settings`.
    public static func openStore(_ settings: EventStoreSettings) throws -> any EventStore {
        let store: any EventStore
        switch settings.store {
        case .postgres:
            guard let url = settings.url else { throw EventLogError(message: "events.url is required for store: postgres") }
            store = try PostgresEventStore(url: url)
        default:
            try FileManager.default.createDirectory(
                atPath: (settings.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            store = try SQLiteEventStore(path: settings.path)
        }
        _ = try store.migrate()
        return store
    }

    /// Queues one event; the calling thread only builds the record and enqueues it, and the handler's thread orders
    /// the fields by key, redacts the event and hands it to the sinks.
    public func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        handler.log(
            type, level: Self.eventLevel(level), source: instance == "host" ? "host" : "plugin", instance: instance,
            message: message, adding: fields.isEmpty ? nil : HostFields(values: fields))
    }

    private static func eventLevel(_ level: HostLogLevel) -> EventLevel {
        switch level {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }

    /// Writes everything queued, within `timeout`.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        let end = timeout.fromNow
        let sinks = handler.flush(timeout: timeout)
        let left = Duration.nanoseconds(max(Int64(end.uptimeNanoseconds) - Int64(DispatchTime.now().uptimeNanoseconds), 0))
        return writer.shutdown(timeout: left) && sinks
    }
}

/// A host event's fields as the caller gave them, turned into `EventFields` (ordered by key) on the handler's thread.
struct HostFields: DeferredEventFields {
    let values: [String: HostLogValue]

    func eventFields() -> EventFields {
        EventFields(values.sorted { $0.key < $1.key }.map { key, value -> (String, FieldValue) in
            switch value {
            case .string(let text): (key, .string(text))
            case .int(let number): (key, .int(number))
            case .double(let number): (key, .double(number))
            case .bool(let flag): (key, .bool(flag))
            }
        })
    }
}

public struct EventLogError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
