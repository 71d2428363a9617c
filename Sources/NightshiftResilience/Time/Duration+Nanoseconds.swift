/// Conversions between `Duration` and plain numbers that never trap.
///
/// Backoff arithmetic multiplies delays by powers of a floating-point factor, and `Retry-After` may carry any number a
/// server likes; these helpers keep every such value inside what an `Int64` of nanoseconds can hold.
extension Duration {
    /// The duration in whole nanoseconds, clamped to the range of `Int64`.
    var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow {
            return seconds > 0 ? .max : .min
        }
        return scaled.saturatingAdding(attoseconds / 1_000_000_000)
    }

    /// The duration in seconds as a floating-point number.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// A duration of `nanoseconds`, rounded down and clamped to `0 ... Int64.max`.
    ///
    /// Infinity and NaN map to the maximum, so an overflowing computation becomes "very long", never a crash.
    static func clampedNanoseconds(_ nanoseconds: Double) -> Duration {
        guard nanoseconds.isFinite else { return .nanoseconds(Int64.max) }
        if nanoseconds <= 0 { return .zero }
        if nanoseconds >= 9.2e18 { return .nanoseconds(Int64.max) }
        return .nanoseconds(Int64(nanoseconds))
    }

    /// A duration of `seconds`, clamped to `0 ... Int64.max` nanoseconds.
    static func clampedSeconds(_ seconds: Double) -> Duration {
        clampedNanoseconds(seconds * 1e9)
    }
}
