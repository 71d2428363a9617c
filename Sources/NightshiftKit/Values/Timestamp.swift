import Foundation

/// A point in time as nanoseconds since the Unix epoch (UTC), the clock unit of the ABI.
///
/// Under replay the host's clock is virtual, so plugins take "now" from ``PluginContext/now`` rather than `Date()`.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp from nanoseconds since the epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// Creates a timestamp from whole seconds since the epoch.
    public init(secondsSinceEpoch: Int64) {
        nanosecondsSinceEpoch = secondsSinceEpoch * 1_000_000_000
    }

    /// Creates a timestamp from a `Date` (microsecond precision survives; `Date` is a `Double`).
    public init(_ date: Date) {
        nanosecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    /// The epoch itself.
    public static let epoch = Timestamp(nanosecondsSinceEpoch: 0)

    /// The timestamp as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(nanosecondsSinceEpoch) / 1e9)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch + rhs.nanoseconds)
    }

    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: lhs.nanosecondsSinceEpoch - rhs.nanoseconds)
    }

    /// The duration from `rhs` to `lhs`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .nanoseconds(lhs.nanosecondsSinceEpoch - rhs.nanosecondsSinceEpoch)
    }
}

extension Timestamp: CustomStringConvertible {
    /// ISO 8601 in UTC with nanoseconds, e.g. `2025-01-02T03:04:05.000000006Z`.
    public var description: String {
        let (seconds, nanos) = floorDivide(nanosecondsSinceEpoch, 1_000_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        // Civil-from-days (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
        let z = days + 719_468
        let era = floorDivide(z, 146_097).0
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(nanos, 9))Z"
    }
}

/// Division rounding toward negative infinity, with a non-negative remainder.
private func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
    return r < 0 ? (q - 1, r + divisor) : (q, r)
}

extension Duration {
    /// The duration in whole nanoseconds (sub-nanosecond parts truncate).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
