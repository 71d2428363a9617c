import Synchronization

/// A `RetryBudget` shared by concurrent calls, guarded by a mutex.
///
/// One instance per plugin instance (one per dependency), handed to every `RetryRunner` that calls it.
public final class SharedRetryBudget: Sendable {
    private let budget: Mutex<RetryBudget>

    /// Creates a shared budget starting from `budget`.
    public init(_ budget: RetryBudget = RetryBudget()) {
        self.budget = Mutex(budget)
    }

    /// A copy of the budget as it is now.
    public var snapshot: RetryBudget {
        budget.withLock { $0 }
    }

    /// Records a successful call.
    public func recordSuccess() {
        budget.withLock { $0.recordSuccess() }
    }

    /// Runs `body` with exclusive access to the budget.
    public func withBudget<Result: Sendable, Failure: Error>(
        _ body: (inout RetryBudget) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try budget.withLock { (value: inout RetryBudget) throws(Failure) -> Result in try body(&value) }
    }
}
