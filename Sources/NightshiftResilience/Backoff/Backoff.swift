/// Capped exponential backoff with jitter: the delay before each retry or reconnect.
///
/// A value type shared by `RetrySchedule` and `ReconnectSupervisor`. It remembers only the previous delay, which the
/// decorrelated variant grows from; `reset()` forgets it once the operation has recovered.
public struct Backoff: Sendable, Hashable {
    /// The ceiling of the first delay.
    public var baseDelay: Duration
    /// The factor the ceiling grows by per retry.
    public var multiplier: Double
    /// No delay is ever longer than this.
    public var maxDelay: Duration
    /// How the delay is randomised below its ceiling.
    public var jitter: Jitter

    /// The last delay drawn, for `Jitter.decorrelated`.
    public private(set) var previousDelay: Duration?

    /// Creates a backoff; a negative base or cap is treated as zero, a multiplier below 1 as 1.
    public init(baseDelay: Duration, multiplier: Double, maxDelay: Duration, jitter: Jitter) {
        self.baseDelay = max(baseDelay, .zero)
        self.multiplier = multiplier.isFinite ? max(multiplier, 1) : 1
        self.maxDelay = max(maxDelay, .zero)
        self.jitter = jitter
    }

    /// The largest delay the n-th retry (from 0) may get: `min(maxDelay, baseDelay × multiplier^n)`.
    public func ceiling(forRetry index: Int) -> Duration {
        let cap = Double(maxDelay.saturatingNanoseconds)
        let base = Double(baseDelay.saturatingNanoseconds)
        guard base > 0 else { return .zero }
        // Multiply step by step and stop at the cap: no overflow, no NaN, and no dependency on a math library.
        var raw = base
        var step = 0
        while step < index, raw < cap, multiplier > 1 {
            raw *= multiplier
            step += 1
        }
        return .clampedNanoseconds(min(raw, cap))
    }

    /// Draws the delay before the n-th retry (from 0), using `random` for the jitter.
    public mutating func delay(forRetry index: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let delay: Duration
        switch jitter {
        case .none:
            delay = ceiling(forRetry: index)
        case .full:
            delay = Self.uniform(from: 0, to: nanoseconds(ceiling(forRetry: index)), using: &random)
        case .equal:
            let half = nanoseconds(ceiling(forRetry: index)) / 2
            delay = Self.uniform(from: half, to: half * 2, using: &random)
        case .decorrelated:
            let base = nanoseconds(min(baseDelay, maxDelay))
            let previous = previousDelay.map(nanoseconds) ?? base
            let upper = min(nanoseconds(maxDelay), max(previous * 3, base))
            delay = Self.uniform(from: base, to: upper, using: &random)
        }
        previousDelay = delay
        return delay
    }

    /// Forgets the delay history, so the next delay starts from `baseDelay` again.
    public mutating func reset() {
        previousDelay = nil
    }

    // MARK: - Helpers

    private func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.saturatingNanoseconds)
    }

    private static func uniform(
        from lower: Double,
        to upper: Double,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        guard upper > lower else { return .clampedNanoseconds(lower) }
        return .clampedNanoseconds(Double.random(in: lower...upper, using: &random))
    }
}
