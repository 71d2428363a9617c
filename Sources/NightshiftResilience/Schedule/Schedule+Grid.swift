import struct Foundation.Date

/// The arithmetic of fire times, in seconds since 1970.
///
/// Both schedules are grids: `.every` has one point per period from the anchor, `.aligned` one point per listed hour
/// per UTC day, shifted by the lag. Counting grid points up to a time is a division, so a pause of years costs the same
/// as a pause of minutes.
extension Schedule {
    static let secondsPerDay = 86_400.0

    /// The hours of an aligned schedule, sorted and without duplicates.
    var sortedHours: [Int] {
        guard case .aligned(let hours, _) = self else { return [] }
        return Array(Set(hours)).sorted()
    }

    /// The index of the last grid point at or before `time`: grid points up to `time` differ by exactly one per fire.
    func fireIndex(_ time: Double, anchor: Date) -> Int64 {
        switch self {
        case .every(let period):
            let seconds = period.inSeconds
            guard seconds > 0 else { return 0 }
            return Self.floorToInt((time - anchor.timeIntervalSince1970) / seconds)
        case .aligned(_, let lag):
            let hours = sortedHours
            let shifted = time - lag.inSeconds
            let day = (shifted / Self.secondsPerDay).rounded(.down)
            let within = shifted - day * Self.secondsPerDay
            let today = hours.filter { Double($0 * 3_600) <= within }.count
            return Self.floorToInt(day).multipliedClamped(by: Int64(hours.count)).saturatingAdding(Int64(today))
        }
    }

    /// The first grid point strictly after `time`.
    func nextFireSeconds(after time: Double, anchor: Date) -> Double {
        switch self {
        case .every(let period):
            let seconds = period.inSeconds
            guard seconds > 0 else { return time }
            let origin = anchor.timeIntervalSince1970
            var next = origin + Double(fireIndex(time, anchor: anchor) + 1) * seconds
            // Rounding can land the product on or just before `time`; the next point is then one period later.
            if next <= time { next += seconds }
            return next
        case .aligned(_, let lag):
            let hours = sortedHours
            guard let firstHour = hours.first else { return time }
            let shifted = time - lag.inSeconds
            let day = (shifted / Self.secondsPerDay).rounded(.down)
            let within = shifted - day * Self.secondsPerDay
            let start = day * Self.secondsPerDay + lag.inSeconds
            if let hour = hours.first(where: { Double($0 * 3_600) > within }) {
                return start + Double(hour * 3_600)
            }
            return start + Self.secondsPerDay + Double(firstHour * 3_600)
        }
    }

    /// `floor(value)` as an `Int64`, clamped instead of trapping on huge or non-finite values.
    static func floorToInt(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? .max : .min }
        let floored = value.rounded(.down)
        if floored >= 9.2e18 { return .max }
        if floored <= -9.2e18 { return .min }
        return Int64(floored)
    }
}

extension Int64 {
    /// `self × other`, clamped to the representable range instead of trapping.
    func multipliedClamped(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
