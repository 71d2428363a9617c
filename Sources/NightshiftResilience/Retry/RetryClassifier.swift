/// Which failures are worth another attempt.
///
/// Retryable: transport errors, timeouts, a plugin's `retry` status, and the HTTP statuses that mean "try again
/// later" — 408 Request Timeout, 425 Too Early, 429 Too Many Requests, 500, 502, 503 and 504. Every other status is
/// final: other 4xx mean the request itself is wrong and will fail the same way again, and 501/505 and friends mean
/// the server will never do it.
public enum RetryClassifier {
    /// The HTTP statuses after which a retry may succeed.
    public static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    /// Whether another attempt may succeed after `failure`.
    public static func isRetryable(_ failure: RetryFailure) -> Bool {
        switch failure {
        case .transport, .timeout, .pluginRetry:
            return true
        case .httpStatus(let status, _):
            return isRetryable(status: status)
        case .nonRetryable:
            return false
        }
    }

    /// Whether another attempt may succeed after a response with `status`.
    public static func isRetryable(status: Int) -> Bool {
        retryableStatuses.contains(status)
    }
}
