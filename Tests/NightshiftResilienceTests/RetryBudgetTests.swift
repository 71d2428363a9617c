import Testing
@testable import NightshiftResilience

@Suite struct RetryBudgetTests {
    @Test func retriesStopWhenHalfTheTokensAreSpent() {
        var budget = RetryBudget(maxTokens: 10, tokenRatio: 0.1)
        var granted = 0
        while budget.acquireRetry() { granted += 1 }
        #expect(granted == 5)
        #expect(budget.tokens == 5)
        #expect(!budget.allowsRetry)
        let refused = budget.acquireRetry()
        #expect(!refused)
        #expect(budget.tokens == 5)
    }

    @Test func successesRefillTheBudgetUpToItsCapacity() {
        var budget = RetryBudget(maxTokens: 10, tokenRatio: 0.5)
        while budget.acquireRetry() {}
        budget.recordSuccess()
        #expect(budget.allowsRetry)
        let granted = budget.acquireRetry()
        #expect(granted)
        #expect(!budget.allowsRetry)
        for _ in 0..<100 { budget.recordSuccess() }
        #expect(budget.tokens == 10)
    }

    @Test func aScheduleGivesUpWhenTheBudgetRefuses() {
        let policy = RetryPolicy(maxAttempts: 10, jitter: .none, deadline: nil)
        var budget = RetryBudget(maxTokens: 4, tokenRatio: 1)
        var schedule = RetrySchedule(policy: policy)
        schedule.start(now: at(0))
        let first = schedule.attemptFailed(.timeout, now: at(0), budget: &budget)
        #expect(first == .retry(after: .milliseconds(200), attempt: 2))
        let second = schedule.attemptFailed(.timeout, now: at(1), budget: &budget)
        #expect(second == .retry(after: .milliseconds(400), attempt: 3))
        #expect(schedule.attemptFailed(.timeout, now: at(2), budget: &budget) == .giveUp(.budgetExhausted))
        #expect(budget.tokens == 2)
    }

    @Test func nonRetryableFailuresAndLastAttemptsCostNothing() {
        var budget = RetryBudget(maxTokens: 4)
        var refused = RetrySchedule(policy: RetryPolicy(maxAttempts: 3, deadline: nil))
        refused.start(now: at(0))
        #expect(refused.attemptFailed(.httpStatus(404), now: at(0), budget: &budget) == .giveUp(.notRetryable))
        var last = RetrySchedule(policy: .never)
        last.start(now: at(0))
        #expect(last.attemptFailed(.httpStatus(503), now: at(0), budget: &budget) == .giveUp(.attemptsExhausted))
        #expect(budget.tokens == 4)
    }

    @Test func aSharedBudgetGrantsExactlyItsRetriesToConcurrentCallers() async {
        let shared = SharedRetryBudget(RetryBudget(maxTokens: 10, tokenRatio: 0.1))
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { shared.withBudget { $0.acquireRetry() } }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
        shared.recordSuccess()
        #expect(abs(shared.snapshot.tokens - 5.1) < 1e-9)
    }
}
