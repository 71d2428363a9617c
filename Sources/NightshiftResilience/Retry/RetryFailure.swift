/// Why one attempt failed, in the terms the retry rules need.
///
/// Shells translate what went wrong (a curl error, an HTTP status, a plugin's `retry` status code) into one of these
/// cases; `RetryClassifier` then decides whether another attempt can help. `RetryFailure` is itself an `Error`, so an
/// operation may throw it directly.
public enum RetryFailure: Error, Sendable, Hashable {
    /// The request never got a response: connection refused or reset, DNS failure, TLS error.
    case transport(String)
    /// The attempt ran out of time.
    case timeout
    /// The server answered with this HTTP status, and perhaps a parsed `Retry-After`.
    case httpStatus(Int, retryAfter: Duration? = nil)
    /// A plugin returned its `retry` status, perhaps with a delay it wants honoured.
    case pluginRetry(String, retryAfter: Duration? = nil)
    /// A failure another attempt cannot fix: bad request, rejected credentials, a plugin's `fatal` status.
    case nonRetryable(String)

    /// The delay the other side asked for, if any; it takes precedence over backoff.
    public var retryAfter: Duration? {
        switch self {
        case .httpStatus(_, let retryAfter), .pluginRetry(_, let retryAfter):
            return retryAfter
        case .transport, .timeout, .nonRetryable:
            return nil
        }
    }

    /// The failure an arbitrary error stands for.
    ///
    /// An error that conforms to `RetryFailureConvertible` says so itself; any other error is treated as
    /// non-retryable, because retrying a failure nobody classified is how a dead dependency gets hammered.
    public static func classify(_ error: any Error) -> RetryFailure {
        if let convertible = error as? any RetryFailureConvertible {
            return convertible.retryFailure
        }
        return .nonRetryable(String(describing: error))
    }
}

extension RetryFailure: CustomStringConvertible {
    public var description: String {
        switch self {
        case .transport(let message): "transport error: \(message)"
        case .timeout: "timed out"
        case .httpStatus(let status, _): "HTTP \(status)"
        case .pluginRetry(let message, _): "plugin asked to retry: \(message)"
        case .nonRetryable(let message): message
        }
    }
}

/// An error that knows which `RetryFailure` it stands for.
///
/// Conform the host's transport and plugin errors to this so `RetryRunner` classifies them without a custom closure.
public protocol RetryFailureConvertible: Error {
    /// The retry-relevant description of this error.
    var retryFailure: RetryFailure { get }
}

extension RetryFailure: RetryFailureConvertible {
    public var retryFailure: RetryFailure { self }
}
