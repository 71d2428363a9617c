/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Hashable {
    /// Wait `after`, then make attempt number `attempt` (counting from 1).
    case retry(after: Duration, attempt: Int)
    /// Stop now and report the failure; there is no delay to sleep.
    case giveUp(RetryGiveUpReason)
}

/// Why a call stopped retrying.
///
/// An open set: new reasons can be added without breaking a `switch`. The raw value is the snake-case word written
/// into `retry_exhausted` events.
public struct RetryGiveUpReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// The failure cannot be fixed by trying again (a 4xx other than 408/425/429, a fatal plugin status).
    public static let notRetryable = RetryGiveUpReason(rawValue: "not_retryable")
    /// The last allowed attempt failed.
    public static let attemptsExhausted = RetryGiveUpReason(rawValue: "attempts_exhausted")
    /// The overall deadline has passed, or the next delay would reach it.
    public static let deadlineExceeded = RetryGiveUpReason(rawValue: "deadline_exceeded")
    /// The server's `Retry-After` asks for a wait that ends at or after the deadline.
    public static let retryAfterBeyondDeadline = RetryGiveUpReason(rawValue: "retry_after_beyond_deadline")
    /// The retry budget is spent: this dependency has been failing for other calls too.
    public static let budgetExhausted = RetryGiveUpReason(rawValue: "budget_exhausted")
}
