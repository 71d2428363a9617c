extension RetrySchedule {
    /// Records a failed attempt like `attemptFailed(_:now:)`, and lets a retry happen only if `budget` pays for it.
    ///
    /// The budget is charged only when the schedule would otherwise retry, so non-retryable failures and the last
    /// attempt cost nothing. When the budget refuses, the call gives up with `.budgetExhausted`.
    public mutating func attemptFailed(
        _ failure: RetryFailure,
        now: MonotonicInstant,
        budget: inout RetryBudget
    ) -> RetryDecision {
        let decision = attemptFailed(failure, now: now)
        guard case .retry = decision else { return decision }
        guard budget.acquireRetry() else { return giveUp(.budgetExhausted) }
        return decision
    }
}
