import struct Foundation.Date

/// What a polling shell should do now, as answered by `CycleScheduler.poll(now:)`.
public enum CycleAction: Sendable, Hashable {
    /// Nothing is due: sleep this long, then poll again.
    case wait(Duration)
    /// A cycle is due: call `cycleStarted(now:)` and run it. `missed` fires were folded into this one run (after a
    /// suspend, a forward clock jump, or a cycle that overran); zero normally.
    case run(missed: Int)
    /// A cycle is still running; a fire that comes due meanwhile is coalesced into one run after it finishes.
    case busy
}

/// How a cycle ended, as the shell reports it to `CycleScheduler.cycleFinished(now:outcome:)`.
public enum CycleOutcome: Sendable, Hashable {
    /// The cycle did its work.
    case succeeded
    /// The cycle's calls gave up (retries exhausted, deadline, budget, or a non-retryable failure).
    case exhausted
}

/// What the scheduler concluded about a finished cycle.
public enum CycleDecision: Sendable, Hashable {
    /// The cycle succeeded; the next one fires at `next` (which is `now` if a fire came due while it ran).
    case completed(next: Date)
    /// The cycle's work is skipped and not retried: the shell emits `cycle_skipped` with `reason`, and the next cycle
    /// runs on schedule at `next`.
    case skipped(reason: CycleSkipReason, next: Date)
}

/// Why a cycle was skipped; the raw value goes into the `cycle_skipped` event.
///
/// An open set, so new reasons never break a `switch`.
public struct CycleSkipReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// The cycle's calls gave up.
    public static let retriesExhausted = CycleSkipReason(rawValue: "retries_exhausted")
    /// Fires were missed while the host was paused or the clock jumped; see `CycleAction.run(missed:)`.
    public static let missed = CycleSkipReason(rawValue: "missed")
}
