import Testing
@testable import NightshiftResilience

@Suite struct RetryScheduleTests {
    /// Exact delays: 1 s doubling to at most 10 s, no jitter.
    func policy(attempts: Int = 4, deadline: Duration? = nil, timeout: Duration? = nil) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: attempts, baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(10),
            jitter: .none, attemptTimeout: timeout, deadline: deadline
        )
    }

    @Test func backsOffExponentiallyAndNeverSleepsAfterTheLastAttempt() {
        var schedule = RetrySchedule(policy: policy(attempts: 4))
        schedule.start(now: at(0))
        #expect(schedule.attemptFailed(.httpStatus(503), now: at(0)) == .retry(after: .seconds(1), attempt: 2))
        #expect(schedule.attemptFailed(.timeout, now: at(1)) == .retry(after: .seconds(2), attempt: 3))
        #expect(schedule.attemptFailed(.transport("reset"), now: at(3)) == .retry(after: .seconds(4), attempt: 4))
        #expect(schedule.attemptFailed(.httpStatus(503), now: at(7)) == .giveUp(.attemptsExhausted))
        #expect(schedule.gaveUp == .attemptsExhausted)
        // Once given up, it stays given up.
        #expect(schedule.attemptFailed(.httpStatus(503), now: at(8)) == .giveUp(.attemptsExhausted))
    }

    @Test func aSingleAttemptPolicyGivesUpOnTheFirstFailure() {
        var schedule = RetrySchedule(policy: .never)
        schedule.start(now: at(0))
        #expect(schedule.attemptFailed(.httpStatus(503), now: at(0)) == .giveUp(.attemptsExhausted))
    }

    @Test(arguments: [400, 401, 403, 404, 422])
    func nonRetryableStatusesGiveUpAtOnce(status: Int) {
        var schedule = RetrySchedule(policy: policy())
        schedule.start(now: at(0))
        #expect(schedule.attemptFailed(.httpStatus(status), now: at(0)) == .giveUp(.notRetryable))
        #expect(schedule.attempt == 1)
    }

    @Test func retryAfterWinsOverBackoffEvenBeyondTheCap() {
        var schedule = RetrySchedule(policy: policy(deadline: .seconds(60)))
        schedule.start(now: at(0))
        #expect(schedule.attemptFailed(.httpStatus(429, retryAfter: .seconds(7)), now: at(0))
            == .retry(after: .seconds(7), attempt: 2))
        #expect(schedule.attemptFailed(.httpStatus(503, retryAfter: .seconds(20)), now: at(7))
            == .retry(after: .seconds(20), attempt: 3))
        #expect(schedule.attemptFailed(.pluginRetry("busy", retryAfter: .zero), now: at(27))
            == .retry(after: .zero, attempt: 4))
    }

    @Test func retryAfterReachingTheDeadlineGivesUp() {
        var refused = RetrySchedule(policy: policy(deadline: .seconds(30)))
        refused.start(now: at(0))
        #expect(refused.attemptFailed(.httpStatus(429, retryAfter: .seconds(25)), now: at(5))
            == .giveUp(.retryAfterBeyondDeadline))

        var allowed = RetrySchedule(policy: policy(deadline: .seconds(30)))
        allowed.start(now: at(0))
        #expect(allowed.attemptFailed(.httpStatus(429, retryAfter: .seconds(24)), now: at(5))
            == .retry(after: .seconds(24), attempt: 2))
    }

    @Test func aBackoffDelayThatWouldCrossTheDeadlineGivesUp() {
        var schedule = RetrySchedule(policy: RetryPolicy(
            maxAttempts: 10, baseDelay: .seconds(4), multiplier: 2, maxDelay: .seconds(60), jitter: .none,
            attemptTimeout: nil, deadline: .seconds(10)
        ))
        schedule.start(now: at(0))
        #expect(schedule.attemptFailed(.timeout, now: at(1)) == .retry(after: .seconds(4), attempt: 2))
        // 5.5 s + 8 s is past the 10 s deadline: give up now rather than sleep into it.
        #expect(schedule.attemptFailed(.timeout, now: at(5.5)) == .giveUp(.deadlineExceeded))
    }

    @Test func aFailureAfterTheDeadlineGivesUp() {
        var schedule = RetrySchedule(policy: policy(deadline: .seconds(10)))
        schedule.start(now: at(100))
        #expect(schedule.attemptFailed(.timeout, now: at(110)) == .giveUp(.deadlineExceeded))
    }

    @Test func theDeadlineCountsFromStart() {
        var schedule = RetrySchedule(policy: policy(deadline: .seconds(10)))
        schedule.start(now: at(100))
        #expect(schedule.deadline == at(110))
        #expect(schedule.attemptFailed(.timeout, now: at(105)) == .retry(after: .seconds(1), attempt: 2))
    }

    @Test func attemptTimeoutIsCutToWhatIsLeftBeforeTheDeadline() {
        var both = RetrySchedule(policy: policy(deadline: .seconds(25), timeout: .seconds(10)))
        both.start(now: at(100))
        #expect(both.attemptTimeout(now: at(100)) == .seconds(10))
        #expect(both.attemptTimeout(now: at(120)) == .seconds(5))
        #expect(both.attemptTimeout(now: at(130)) == .zero)

        var timeoutOnly = RetrySchedule(policy: policy(timeout: .seconds(10)))
        timeoutOnly.start(now: at(0))
        #expect(timeoutOnly.attemptTimeout(now: at(1_000)) == .seconds(10))

        var deadlineOnly = RetrySchedule(policy: policy(deadline: .seconds(30)))
        deadlineOnly.start(now: at(0))
        #expect(deadlineOnly.attemptTimeout(now: at(12)) == .seconds(18))

        var neither = RetrySchedule(policy: policy())
        neither.start(now: at(0))
        #expect(neither.attemptTimeout(now: at(12)) == nil)
    }

    @Test func fullJitterDelaysStayUnderTheirCeilings() {
        let jittered = RetryPolicy(
            maxAttempts: 8, baseDelay: .milliseconds(100), multiplier: 3, maxDelay: .seconds(2), jitter: .full,
            attemptTimeout: nil, deadline: nil
        )
        let ceilings = [0.1, 0.3, 0.9, 2, 2, 2, 2]
        for seed in UInt64(0)..<300 {
            var schedule = RetrySchedule(policy: jittered, jitter: SplitMix64(seed: seed))
            schedule.start(now: at(0))
            for (index, ceiling) in ceilings.enumerated() {
                guard case .retry(let delay, let attempt) = schedule.attemptFailed(.timeout, now: at(0)) else {
                    Issue.record("expected a retry")
                    return
                }
                #expect(attempt == index + 2)
                #expect(delay >= .zero && delay.seconds <= ceiling + 1e-9)
            }
            #expect(schedule.attemptFailed(.timeout, now: at(0)) == .giveUp(.attemptsExhausted))
        }
    }

    @Test func aSeededScheduleIsReproducible() {
        func delays(seed: UInt64) -> [RetryDecision] {
            let policy = RetryPolicy(maxAttempts: 6, deadline: nil)
            var schedule = RetrySchedule(policy: policy, jitter: SplitMix64(seed: seed))
            schedule.start(now: at(0))
            return (0..<6).map { _ in schedule.attemptFailed(.timeout, now: at(0)) }
        }
        #expect(delays(seed: 5) == delays(seed: 5))
        #expect(delays(seed: 5) != delays(seed: 6))
    }

    @Test func startingAgainResetsTheSchedule() {
        var schedule = RetrySchedule(policy: policy(attempts: 2))
        schedule.start(now: at(0))
        _ = schedule.attemptFailed(.timeout, now: at(0))
        #expect(schedule.attemptFailed(.timeout, now: at(1)) == .giveUp(.attemptsExhausted))
        schedule.start(now: at(50))
        #expect(schedule.attempt == 1)
        #expect(schedule.attemptFailed(.timeout, now: at(50)) == .retry(after: .seconds(1), attempt: 2))
    }
}
