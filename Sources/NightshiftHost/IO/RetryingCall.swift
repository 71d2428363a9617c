import NightshiftResilience

/// Runs one operation under a retry policy on the calling thread: the thin shell over `RetrySchedule`.
///
/// Each failed attempt that will be retried is an `attempt_failed` event (label, attempt, max, delay, error); giving up
/// is a `retry_exhausted` event. There is never a sleep after the last attempt, sleeps end early at shutdown, and the
/// instance's retry budget is charged for every retry so a dead dependency is not hammered.
struct RetryingCall: Sendable {
    /// What one attempt produced.
    enum Attempt<Value> {
        case success(Value)
        /// A failure; `value` is kept as the answer if this turns out to be the last attempt (e.g. the last 503).
        case failure(RetryFailure, value: Value?)
    }

    var label: String
    var instance: String
    var policy: RetryPolicy
    var budget: SharedRetryBudget?
    var log: any HostLog
    var clock: MonotonicClock = .continuous()
    var shutdown: ShutdownSignal

    /// Runs `body` until it succeeds or the policy gives up.
    ///
    /// - Parameter body: one attempt, given its number (from 1) and the time it may take.
    /// - Returns: the successful value, or the last failure with the value it carried.
    func run<Value: Sendable>(_ body: (_ attempt: Int, _ timeout: Duration?) -> Attempt<Value>) -> Result<Value, FailedCall<Value>> {
        var schedule = RetrySchedule(policy: policy)
        schedule.start(now: clock.now())
        while true {
            let attempt = schedule.attempt
            switch body(attempt, schedule.attemptTimeout(now: clock.now())) {
            case .success(let value):
                budget?.recordSuccess()
                return .success(value)
            case .failure(let failure, let value):
                let decision: RetryDecision
                if let budget {
                    decision = budget.withBudget { schedule.attemptFailed(failure, now: clock.now(), budget: &$0) }
                } else {
                    decision = schedule.attemptFailed(failure, now: clock.now())
                }
                switch decision {
                case .retry(let delay, _):
                    log.warning("attempt_failed", instance, "\(label): attempt \(attempt) of \(policy.maxAttempts) failed: \(failure); retrying in \(delay)", [
                        "label": .string(label), "attempt": .int(Int64(attempt)), "max_attempts": .int(Int64(policy.maxAttempts)),
                        "delay_ms": .int(delay.milliseconds), "error": .string(failure.description),
                    ])
                    guard shutdown.sleep(for: delay) else {
                        return .failure(FailedCall(failure: failure, value: value, reason: "shutdown", attempts: attempt))
                    }
                case .giveUp(let reason) where policy.maxAttempts == 1:
                    // A call that may not be repeated (a POST without an idempotency key) failed once: nothing was
                    // retried, so nothing was exhausted; the caller decides what the failure means.
                    log.warning("request_failed", instance, "\(label): \(failure) (not retried)", [
                        "label": .string(label), "error": .string(failure.description),
                    ])
                    return .failure(FailedCall(failure: failure, value: value, reason: reason.rawValue, attempts: attempt))
                case .giveUp(let reason):
                    log.error("retry_exhausted", instance, "\(label): gave up after \(attempt) attempt(s) (\(reason)): \(failure)", [
                        "label": .string(label), "attempts": .int(Int64(attempt)), "reason": .string(reason.rawValue),
                        "error": .string(failure.description),
                    ])
                    return .failure(FailedCall(failure: failure, value: value, reason: reason.rawValue, attempts: attempt))
                }
            }
        }
    }
}

/// A call the retry shell gave up on.
struct FailedCall<Value: Sendable>: Error {
    var failure: RetryFailure
    var value: Value?
    var reason: String
    var attempts: Int
}
