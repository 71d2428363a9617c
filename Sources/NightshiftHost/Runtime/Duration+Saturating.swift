import Dispatch

/// Conversions that never trap, for durations that come from configuration and the command line.
extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole nanoseconds, saturating at `Int64.max` (and at 0 for negative durations).
    public var nanosecondsSaturated: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// The moment `self` from now on the dispatch (monotonic) clock, saturating.
    public var fromNow: DispatchTime {
        let now = DispatchTime.now().uptimeNanoseconds
        let (end, overflow) = now.addingReportingOverflow(UInt64(nanosecondsSaturated))
        return DispatchTime(uptimeNanoseconds: overflow ? UInt64.max / 2 : end)
    }

    /// Whole milliseconds, saturating, for event fields.
    public var milliseconds: Int64 { nanosecondsSaturated / 1_000_000 }

    /// The Unix time in microseconds `self` before `now` (µs), never below zero: for `--since 8h`.
    public func microseconds(before now: Int64) -> Int64 {
        now - min(nanosecondsSaturated / 1000, now)
    }
}
