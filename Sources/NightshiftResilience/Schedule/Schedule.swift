import struct Foundation.Date

/// When a polling source runs its cycles.
///
/// Times are wall-clock UTC (`Date`), because aligned schedules are defined by the calendar. `CycleScheduler` guards
/// against the wall clock jumping in either direction.
public enum Schedule: Sendable, Hashable {
    /// Every `period`, on a fixed grid counted from the scheduler's creation.
    case every(Duration)
    /// At the given UTC hours of every day, each shifted by `lag`.
    ///
    /// `.aligned(hoursUTC: [0, 6, 12, 18], lag: .seconds(4 * 3600 + 30 * 60))` fires at 04:30, 10:30, 16:30 and 22:30
    /// UTC: four hours and a half after each model run, when its data is published.
    case aligned(hoursUTC: [Int], lag: Duration = .zero)

    /// Checks that the schedule can fire: a positive period, or at least one hour in `0...23` and a lag of zero or
    /// more.
    ///
    /// - Throws: `ScheduleError` naming what is wrong.
    public func validate() throws(ScheduleError) {
        switch self {
        case .every(let period):
            guard period > .zero else {
                throw ScheduleError(.nonPositivePeriod, "the period must be longer than zero, not \(period)")
            }
        case .aligned(let hours, let lag):
            guard !hours.isEmpty else {
                throw ScheduleError(.noHours, "an aligned schedule needs at least one hour")
            }
            if let wrong = hours.first(where: { !(0...23).contains($0) }) {
                throw ScheduleError(.hourOutOfRange, "hour \(wrong) is not in 0...23")
            }
            guard lag >= .zero else {
                throw ScheduleError(.negativeLag, "the lag must not be negative, not \(lag)")
            }
        }
    }

    /// The first fire strictly after `now`.
    ///
    /// - Parameters:
    ///   - now: The current wall-clock time.
    ///   - anchor: The grid origin of an `.every` schedule (ignored by `.aligned`).
    public func nextFire(after now: Date, anchor: Date) -> Date {
        Date(timeIntervalSince1970: nextFireSeconds(after: now.timeIntervalSince1970, anchor: anchor))
    }

    /// The number of fires in the half-open interval `(start, end]`; zero when `end` is not after `start`.
    public func fires(after start: Date, through end: Date, anchor: Date) -> Int {
        guard end > start else { return 0 }
        let count = fireIndex(end.timeIntervalSince1970, anchor: anchor)
            - fireIndex(start.timeIntervalSince1970, anchor: anchor)
        return Int(clamping: max(count, 0))
    }

    /// The longest time between two consecutive fires: the period, or the widest gap between aligned hours.
    ///
    /// A next fire further away than this means the wall clock went backwards.
    public var longestGap: Duration {
        switch self {
        case .every(let period):
            return period
        case .aligned:
            let hours = sortedHours
            guard let first = hours.first, let last = hours.last else { return .seconds(86_400) }
            let gaps = zip(hours, hours.dropFirst()).map { $1 - $0 } + [first + 24 - last]
            return .seconds(3_600 * (gaps.max() ?? 24))
        }
    }
}
