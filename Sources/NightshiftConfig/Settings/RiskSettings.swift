import Foundation

/// The `risk:` section: limits checked before every order.
///
/// Quantities and amounts are exact decimals (`0.1` stays one tenth); `nil` means no limit of that kind.
public struct RiskSettings: Sendable, Hashable {
    /// The largest quantity of one order.
    public var maxOrderQuantity: Decimal?
    /// The largest notional (quantity × price) of one order.
    public var maxNotional: Decimal?
    /// The largest absolute position per symbol.
    public var maxPosition: Decimal?
    /// Orders allowed per rolling minute, across all strategies.
    public var maxOrdersPerMinute: Int?
    /// The window in which orders are allowed, if restricted.
    public var tradingHours: TradingHours?
    /// A file whose existence blocks every order (default: `KILL` in the data directory).
    public var killSwitchFile: String

    public init(killSwitchFile: String) {
        self.killSwitchFile = killSwitchFile
    }
}

/// A daily trading window in a named time zone.
public struct TradingHours: Sendable, Hashable {
    /// Opening time (inclusive).
    public var start: TimeOfDay
    /// Closing time (exclusive).
    public var end: TimeOfDay
    /// An IANA time-zone identifier such as `America/New_York`.
    public var timezone: String

    public init(start: TimeOfDay, end: TimeOfDay, timezone: String) {
        self.start = start
        self.end = end
        self.timezone = timezone
    }
}

/// A wall-clock time, `HH:MM`.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM` (24-hour clock).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Minutes since midnight.
    public var minutes: Int { hour * 60 + minute }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}
