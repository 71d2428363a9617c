/// A value in an event's structured fields.
public enum HostLogValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
}

/// Severity, as in swift-log (and the ABI's `NS_LEVEL_*`, in the same order).
public enum HostLogLevel: Int, Sendable, Comparable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level for an ABI level number, clamped into range.
    init(abi value: Int32) { self = HostLogLevel(rawValue: Int(min(max(value, 0), 6))) ?? .info }
}

/// Where the host writes its structured events: every retry, reconnect, skipped cycle, order and block is one.
///
/// Implementations must not block the caller on I/O (the event store queues and writes in batches).
public protocol HostLog: Sendable {
    /// Records one event row.
    ///
    /// - Parameters:
    ///   - type: the event type, e.g. `attempt_failed`, `trade_blocked`, or `log` for plain log lines.
    ///   - instance: the plugin instance it concerns, or `host`.
    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue])
}

extension HostLog {
    // Shorthands for the common levels.

    public func info(_ type: String, _ instance: String, _ message: String, _ fields: [String: HostLogValue] = [:]) {
        record(type, level: .info, instance: instance, message: message, fields: fields)
    }

    public func warning(_ type: String, _ instance: String, _ message: String, _ fields: [String: HostLogValue] = [:]) {
        record(type, level: .warning, instance: instance, message: message, fields: fields)
    }

    public func error(_ type: String, _ instance: String, _ message: String, _ fields: [String: HostLogValue] = [:]) {
        record(type, level: .error, instance: instance, message: message, fields: fields)
    }
}
