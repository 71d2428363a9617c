/// The thin shell that runs an operation under a `RetrySchedule` and a `RetryBudget`.
///
/// Everything with an effect is injected: the clock, the sleep, the randomness and the event sink. The host passes
/// `Task.sleep` and its event logger; tests pass a fake sleeper that records the requested delays and returns at
/// once. The runner reports each failed attempt and the final give-up as `RetryEvent`s, so the log shows every try.
///
/// Cancellation is never retried: a `CancellationError` from the operation or the sleep ends the call immediately.
public struct RetryRunner: Sendable {
    /// Names the call in events, such as `"quotes.fetch"`.
    public var label: String
    /// The retry rules.
    public var policy: RetryPolicy
    /// The budget shared with other calls to the same dependency, if any.
    public var budget: SharedRetryBudget?
    /// Reads the time for deadlines.
    public var clock: MonotonicClock
    /// The randomness for backoff; each call starts from a copy of it.
    public var jitter: any JitterSource
    /// Turns a thrown error into a `RetryFailure`.
    public var classify: @Sendable (any Error) -> RetryFailure
    /// Waits for a delay; throws if the wait was cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Receives every `RetryEvent`.
    public var onEvent: @Sendable (RetryEvent) -> Void

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - label: Names the call in events.
    ///   - policy: The retry rules.
    ///   - budget: A budget shared with other calls to the same dependency, or `nil` for none.
    ///   - clock: Reads the time.
    ///   - jitter: The randomness for backoff delays.
    ///   - classify: Maps thrown errors to failures; by default `RetryFailure.classify`.
    ///   - sleep: Waits for a delay, such as `{ try await Task.sleep(for: $0) }`.
    ///   - onEvent: Receives every event.
    public init(
        label: String,
        policy: RetryPolicy = .standard,
        budget: SharedRetryBudget? = nil,
        clock: MonotonicClock,
        jitter: any JitterSource = SystemJitter(),
        classify: @escaping @Sendable (any Error) -> RetryFailure = RetryFailure.classify,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        onEvent: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) {
        self.label = label
        self.policy = policy
        self.budget = budget
        self.clock = clock
        self.jitter = jitter
        self.classify = classify
        self.sleep = sleep
        self.onEvent = onEvent
    }

    /// Runs `operation` until it succeeds or the rules say to give up.
    ///
    /// - Parameter operation: One attempt; receives the attempt's number and time limit.
    /// - Returns: The first successful attempt's result.
    /// - Throws: The last attempt's error when the call gives up, or `CancellationError` when cancelled.
    public func run<Value>(
        isolation: isolated (any Actor)? = #isolation,
        _ operation: (RetryAttempt) async throws -> Value
    ) async throws -> Value {
        var schedule = RetrySchedule(policy: policy, jitter: jitter)
        schedule.start(now: clock.now())
        while true {
            let attempt = RetryAttempt(
                number: schedule.attempt,
                maxAttempts: policy.maxAttempts,
                timeout: schedule.attemptTimeout(now: clock.now())
            )
            do {
                let value = try await operation(attempt)
                budget?.recordSuccess()
                return value
            } catch let error as CancellationError {
                throw error
            } catch {
                let failure = classify(error)
                let decision = decide(failure, schedule: &schedule)
                switch decision {
                case .retry(let delay, _):
                    report(attempt, delay: delay, failure: failure)
                    try await sleep(delay)
                case .giveUp(let reason):
                    report(attempt, delay: nil, failure: failure)
                    onEvent(.retryExhausted(
                        label: label, attempts: attempt.number, reason: reason, error: failure.description
                    ))
                    throw error
                }
            }
        }
    }

    // MARK: - Steps

    private func decide(_ failure: RetryFailure, schedule: inout RetrySchedule) -> RetryDecision {
        let now = clock.now()
        guard let budget else { return schedule.attemptFailed(failure, now: now) }
        var copy = schedule
        let decision = budget.withBudget { copy.attemptFailed(failure, now: now, budget: &$0) }
        schedule = copy
        return decision
    }

    private func report(_ attempt: RetryAttempt, delay: Duration?, failure: RetryFailure) {
        onEvent(.attemptFailed(
            label: label,
            attempt: attempt.number,
            maxAttempts: attempt.maxAttempts,
            delay: delay,
            error: failure.description
        ))
    }
}
