/// What `RetryRunner` reports as a call goes through its attempts, one value per event row.
///
/// Every failed attempt yields `attemptFailed`; a call that gives up then yields one `retryExhausted`. Error texts are
/// the failures' descriptions, so errors that might carry secrets must describe themselves without them.
public enum RetryEvent: Sendable, Hashable {
    /// An attempt failed. `delay` is the wait before the next attempt, or `nil` when there is none.
    case attemptFailed(label: String, attempt: Int, maxAttempts: Int, delay: Duration?, error: String)
    /// The call gave up after `attempts` attempts, for `reason`, with the last attempt's error.
    case retryExhausted(label: String, attempts: Int, reason: RetryGiveUpReason, error: String)

    /// The event type written to the log: `attempt_failed` or `retry_exhausted`.
    public var eventType: String {
        switch self {
        case .attemptFailed: "attempt_failed"
        case .retryExhausted: "retry_exhausted"
        }
    }

    /// The label of the call the event belongs to.
    public var label: String {
        switch self {
        case .attemptFailed(let label, _, _, _, _), .retryExhausted(let label, _, _, _): label
        }
    }
}
