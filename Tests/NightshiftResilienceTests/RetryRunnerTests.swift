import Synchronization
import Testing
@testable import NightshiftResilience

@Suite struct RetryRunnerTests {
    let clock = ManualClock(at(1_000))

    /// Exact delays (1 s, 2 s, 4 s …), four attempts, no deadline unless given.
    func runner(
        policy: RetryPolicy = RetryPolicy(
            maxAttempts: 4, baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(30), jitter: .none,
            attemptTimeout: .seconds(5), deadline: nil
        ),
        budget: SharedRetryBudget? = nil,
        sleeper: FakeSleeper,
        events: Recorder<RetryEvent>
    ) -> RetryRunner {
        RetryRunner(
            label: "quotes.fetch", policy: policy, budget: budget, clock: clock.clock, jitter: SplitMix64(seed: 1),
            sleep: { try await sleeper.sleep($0) }, onEvent: { events.append($0) }
        )
    }

    @Test func retriesUntilSuccessReportingEachFailedAttempt() async throws {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        let attempts = Recorder<RetryAttempt>()
        let value = try await runner(sleeper: sleeper, events: events).run { attempt in
            attempts.append(attempt)
            if attempt.number < 3 { throw RetryFailure.httpStatus(503) }
            return "quotes"
        }
        #expect(value == "quotes")
        #expect(attempts.all.map(\.number) == [1, 2, 3])
        #expect(attempts.all.allSatisfy { $0.maxAttempts == 4 && $0.timeout == .seconds(5) })
        #expect(sleeper.delays == [.seconds(1), .seconds(2)])
        #expect(events.all == [
            .attemptFailed(label: "quotes.fetch", attempt: 1, maxAttempts: 4, delay: .seconds(1), error: "HTTP 503"),
            .attemptFailed(label: "quotes.fetch", attempt: 2, maxAttempts: 4, delay: .seconds(2), error: "HTTP 503"),
        ])
        #expect(events.all.map(\.eventType) == ["attempt_failed", "attempt_failed"])
    }

    @Test func exhaustionReportsEveryAttemptThenGivesUpWithoutAFinalSleep() async {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        await #expect(throws: RetryFailure.timeout) {
            try await runner(sleeper: sleeper, events: events).run { _ in throw RetryFailure.timeout }
        }
        #expect(sleeper.delays == [.seconds(1), .seconds(2), .seconds(4)])
        #expect(events.all == [
            .attemptFailed(label: "quotes.fetch", attempt: 1, maxAttempts: 4, delay: .seconds(1), error: "timed out"),
            .attemptFailed(label: "quotes.fetch", attempt: 2, maxAttempts: 4, delay: .seconds(2), error: "timed out"),
            .attemptFailed(label: "quotes.fetch", attempt: 3, maxAttempts: 4, delay: .seconds(4), error: "timed out"),
            .attemptFailed(label: "quotes.fetch", attempt: 4, maxAttempts: 4, delay: nil, error: "timed out"),
            .retryExhausted(label: "quotes.fetch", attempts: 4, reason: .attemptsExhausted, error: "timed out"),
        ])
        #expect(events.all.last?.eventType == "retry_exhausted")
    }

    @Test func aClientErrorIsNotRetried() async {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        let calls = Recorder<Int>()
        await #expect(throws: RetryFailure.httpStatus(404)) {
            try await runner(sleeper: sleeper, events: events).run { attempt in
                calls.append(attempt.number)
                throw RetryFailure.httpStatus(404)
            }
        }
        #expect(calls.all == [1])
        #expect(sleeper.delays.isEmpty)
        #expect(events.all == [
            .attemptFailed(label: "quotes.fetch", attempt: 1, maxAttempts: 4, delay: nil, error: "HTTP 404"),
            .retryExhausted(label: "quotes.fetch", attempts: 1, reason: .notRetryable, error: "HTTP 404"),
        ])
    }

    @Test func retryAfterIsWhatTheRunnerSleeps() async throws {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        _ = try await runner(sleeper: sleeper, events: events).run { attempt in
            if attempt.number == 1 { throw RetryFailure.httpStatus(429, retryAfter: .seconds(7)) }
        }
        #expect(sleeper.delays == [.seconds(7)])
    }

    @Test func theDeadlineEndsTheCallAndShortensTheLastAttempts() async {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        let policy = RetryPolicy(
            maxAttempts: 10, baseDelay: .seconds(2), multiplier: 2, maxDelay: .seconds(60), jitter: .none,
            attemptTimeout: .seconds(5), deadline: .seconds(20)
        )
        let timeouts = Recorder<Duration?>()
        await #expect(throws: RetryFailure.timeout) {
            try await runner(policy: policy, sleeper: sleeper, events: events).run { attempt in
                timeouts.append(attempt.timeout)
                clock.advance(by: attempt.timeout ?? .zero)
                throw RetryFailure.timeout
            }
        }
        // Attempt 1 ends at 5 s, sleeps 2 s; attempt 2 ends at 12 s, sleeps 4 s; attempt 3 gets the 4 s left.
        #expect(timeouts.all == [.seconds(5), .seconds(5), .seconds(4)])
        #expect(sleeper.delays == [.seconds(2), .seconds(4)])
        guard case .retryExhausted(_, let attempts, let reason, _) = events.all.last else {
            Issue.record("expected retry_exhausted last")
            return
        }
        #expect(attempts == 3)
        #expect(reason == .deadlineExceeded)
    }

    @Test func aSpentBudgetStopsRetriesAcrossCallsAndSuccessesRefillIt() async throws {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        let budget = SharedRetryBudget(RetryBudget(maxTokens: 4, tokenRatio: 1))
        let shell = runner(
            policy: RetryPolicy(maxAttempts: 10, jitter: .none, deadline: nil), budget: budget,
            sleeper: sleeper, events: events
        )
        await #expect(throws: RetryFailure.self) { try await shell.run { _ in throw RetryFailure.timeout } }
        #expect(sleeper.delays.count == 2)
        await #expect(throws: RetryFailure.self) { try await shell.run { _ in throw RetryFailure.timeout } }
        #expect(sleeper.delays.count == 2)
        let reasons = events.all.compactMap { event -> RetryGiveUpReason? in
            guard case .retryExhausted(_, _, let reason, _) = event else { return nil }
            return reason
        }
        #expect(reasons == [.budgetExhausted, .budgetExhausted])

        try await shell.run { _ in }
        #expect(budget.snapshot.allowsRetry)
    }

    @Test func cancellationIsNeverRetried() async {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        await #expect(throws: CancellationError.self) {
            try await runner(sleeper: sleeper, events: events).run { _ in throw CancellationError() }
        }
        #expect(sleeper.delays.isEmpty)
        #expect(events.all.isEmpty)
    }

    @Test func aCancelledSleepEndsTheCall() async {
        let events = Recorder<RetryEvent>()
        let calls = Recorder<Int>()
        let shell = RetryRunner(
            label: "orders.submit", clock: clock.clock, sleep: { _ in throw CancellationError() },
            onEvent: { events.append($0) }
        )
        await #expect(throws: CancellationError.self) {
            try await shell.run { attempt in
                calls.append(attempt.number)
                throw RetryFailure.transport("reset")
            }
        }
        #expect(calls.all == [1])
        #expect(events.all.count == 1)
    }

    struct FeedError: RetryFailureConvertible {
        var retryFailure: RetryFailure { .transport("feed reset") }
    }

    struct ParseError: Error {}

    @Test func errorsAreClassifiedByTheirOwnAnswerOrNotRetried() async throws {
        let sleeper = FakeSleeper(clock: clock)
        let events = Recorder<RetryEvent>()
        let shell = runner(sleeper: sleeper, events: events)
        try await shell.run { attempt in
            if attempt.number == 1 { throw FeedError() }
        }
        #expect(sleeper.delays == [.seconds(1)])
        await #expect(throws: ParseError.self) { try await shell.run { _ in throw ParseError() } }
        #expect(sleeper.delays == [.seconds(1)])
    }

    @Test func aCustomClassifierDecides() async throws {
        let sleeper = FakeSleeper(clock: clock)
        let shell = RetryRunner(
            label: "weather", clock: clock.clock, jitter: SplitMix64(seed: 3),
            classify: { _ in .pluginRetry("plugin said retry") }, sleep: { try await sleeper.sleep($0) }
        )
        let result = try await shell.run { attempt -> Int in
            if attempt.number < 3 { throw ParseError() }
            return attempt.number
        }
        #expect(result == 3)
        #expect(sleeper.delays.count == 2)
    }
}
