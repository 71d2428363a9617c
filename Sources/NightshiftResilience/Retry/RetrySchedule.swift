/// The retry rules for one call, as a state machine that returns decisions and never sleeps.
///
/// Call `start(now:)` before the first attempt and `attemptFailed(_:now:)` after each failure; the answer is either
/// "wait this long, then make attempt n" or "give up". The rules, in order:
/// 1. A non-retryable failure gives up at once.
/// 2. A failure of the last allowed attempt gives up at once: there is never a sleep after the last attempt.
/// 3. The delay is the server's `Retry-After` when it sent one (even beyond `maxDelay`), else jittered backoff.
/// 4. A delay that would reach the overall deadline gives up instead of sleeping towards a call that cannot finish.
///
/// A shell such as `RetryRunner` does the sleeping and the attempts.
public struct RetrySchedule: Sendable {
    /// The rules this schedule applies.
    public let policy: RetryPolicy
    /// The number of the current attempt, from 1.
    public private(set) var attempt = 1
    /// The instant the call started, once `start(now:)` has been called.
    public private(set) var startedAt: MonotonicInstant?
    /// The reason the schedule gave up, once it has.
    public private(set) var gaveUp: RetryGiveUpReason?

    private var backoff: Backoff
    private var jitter: any JitterSource

    /// Creates a schedule for one call.
    ///
    /// - Parameters:
    ///   - policy: The retry rules.
    ///   - jitter: The randomness for backoff delays; pass a seeded `SplitMix64` for reproducible delays.
    public init(policy: RetryPolicy = .standard, jitter: any JitterSource = SystemJitter()) {
        self.policy = policy
        self.backoff = policy.backoff
        self.jitter = jitter
    }

    /// Marks the start of the call (the first attempt); the overall deadline counts from here.
    public mutating func start(now: MonotonicInstant) {
        startedAt = now
        attempt = 1
        gaveUp = nil
        backoff.reset()
    }

    /// The instant by which the whole call must be over, if the policy has a deadline and the call has started.
    public var deadline: MonotonicInstant? {
        guard let startedAt, let limit = policy.deadline else { return nil }
        return startedAt + limit
    }

    /// The time the attempt starting at `now` may take: the per-attempt timeout, shortened to what is left before the
    /// deadline; zero once the deadline has passed, `nil` if neither limit is set.
    public func attemptTimeout(now: MonotonicInstant) -> Duration? {
        let remaining = deadline.map { max(now.duration(to: $0), .zero) }
        switch (policy.attemptTimeout, remaining) {
        case let (timeout?, remaining?): return min(timeout, remaining)
        case let (timeout?, nil): return timeout
        case let (nil, remaining?): return remaining
        case (nil, nil): return nil
        }
    }

    /// Records that the current attempt failed at `now` and decides what happens next.
    ///
    /// If `start(now:)` was never called, the call is taken to have started at `now`.
    public mutating func attemptFailed(_ failure: RetryFailure, now: MonotonicInstant) -> RetryDecision {
        if startedAt == nil { startedAt = now }
        if let gaveUp { return .giveUp(gaveUp) }
        guard RetryClassifier.isRetryable(failure) else { return giveUp(.notRetryable) }
        guard attempt < policy.maxAttempts else { return giveUp(.attemptsExhausted) }

        let retryAfter = failure.retryAfter.map { max($0, .zero) }
        if let deadline {
            guard now < deadline else { return giveUp(.deadlineExceeded) }
            // Check Retry-After before drawing a backoff delay, so an impossible wait consumes no randomness.
            if let retryAfter, now + retryAfter >= deadline { return giveUp(.retryAfterBeyondDeadline) }
        }
        let delay = retryAfter ?? backoff.delay(forRetry: attempt - 1, using: &jitter)
        if let deadline, now + delay >= deadline { return giveUp(.deadlineExceeded) }

        attempt += 1
        return .retry(after: delay, attempt: attempt)
    }

    mutating func giveUp(_ reason: RetryGiveUpReason) -> RetryDecision {
        gaveUp = reason
        return .giveUp(reason)
    }
}
