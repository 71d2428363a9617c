internal import NightshiftABI

/// Writes log lines and typed event rows to the host's structured event log, in the shape of swift-log's `Logger`.
///
/// Every line becomes an event row with the instance, level and metadata as fields; ``event(_:level:message:fields:)``
/// writes a row with its own `event_type` (e.g. `"trade_blocked"`) that queries and reports can select on. The host
/// redacts secrets it knows, but a plugin must still never put one in a message or field.
public struct Logger {
    /// Severity, as in swift-log.
    public enum Level: Int32, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
        case trace = 0
        case debug = 1
        case info = 2
        case notice = 3
        case warning = 4
        case error = 5
        case critical = 6

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }
    }

    /// Structured fields attached to a line or event row.
    public typealias Metadata = [String: MetadataValue]

    let link: HostLink

    // MARK: - Lines

    /// Writes a line at `level`.
    public func log(level: Level, _ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        write(level: level, type: "", message: message(), fields: metadata() ?? [:])
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .trace, message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .debug, message(), metadata: metadata())
    }

    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .info, message(), metadata: metadata())
    }

    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .notice, message(), metadata: metadata())
    }

    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .warning, message(), metadata: metadata())
    }

    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .error, message(), metadata: metadata())
    }

    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .critical, message(), metadata: metadata())
    }

    // MARK: - Typed events

    /// Writes an event row of type `type` (snake_case, e.g. `"signal_skipped"`) with structured fields.
    public func event(_ type: String, level: Level = .info, message: String = "", fields: Metadata = [:]) {
        write(level: level, type: type, message: message, fields: fields)
    }

    private func write(level: Level, type: String, message: String, fields: Metadata) {
        guard let log = try? link.service(\.log, "log") else { return }
        defer { link.scratch.reset() }
        // Sorted so the row's field order is the same on every run.
        let rows = fields.sorted { $0.key < $1.key }.map { key, value in
            var field = ns_field()
            field.key = link.scratch.str(key)
            switch value {
            case .string(let text):
                field.type = Int32(NS_FIELD_STRING)
                field.s = link.scratch.str(text)
            case .int(let number):
                field.type = Int32(NS_FIELD_INT)
                field.i = number
            case .double(let number):
                field.type = Int32(NS_FIELD_DOUBLE)
                field.d = number
            case .bool(let flag):
                field.type = Int32(NS_FIELD_BOOL)
                field.i = flag ? 1 : 0
            }
            return field
        }
        let pointer = link.scratch.copy(rows)
        log(link.ctx, level.rawValue, link.scratch.str(type), link.scratch.str(message), pointer, rows.count)
    }
}
