/// How much an event matters, from `trace` (chatter) to `critical` (the process cannot go on).
///
/// The names and order are those of apple/swift-log, so `Logger.Level` reads the same here; the raw value is the name
/// stored in the event log and printed by the CLI.
public enum EventLevel: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case trace
    case debug
    case info
    case notice
    case warning
    case error
    case critical

    /// The position in severity order, `trace` = 0.
    public var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }

    /// The syslog priority journald files this level under (`PRIORITY=`).
    public var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Every level at least as severe as this one, in order.
    public var atLeastAsSevere: [EventLevel] { Self.allCases.filter { $0 >= self } }

    public static func < (lhs: EventLevel, rhs: EventLevel) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}
