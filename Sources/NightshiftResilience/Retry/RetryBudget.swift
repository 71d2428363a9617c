/// A token bucket that limits retries across all calls to one dependency (gRPC's retry throttling).
///
/// The bucket starts full with `maxTokens`. Each retry costs one token; each successful call earns back
/// `tokenRatio`. Retries are allowed only while more than half the tokens are left. While a dependency keeps failing,
/// the budget drains and calls stop retrying (each still makes its first attempt), so a dead server is not hammered
/// by every caller's retries; successes refill it.
///
/// A value type: keep one per plugin instance. For sharing between concurrent calls, wrap it in `SharedRetryBudget`.
public struct RetryBudget: Sendable, Hashable {
    /// The bucket's capacity, and its content when created.
    public let maxTokens: Double
    /// The tokens a successful call earns back.
    public let tokenRatio: Double
    /// The tokens left.
    public private(set) var tokens: Double

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - maxTokens: Capacity; at least 1. The default of 10 allows about five retries in a row from full.
    ///   - tokenRatio: Tokens earned per success; the default of 0.1 means ten successes pay for one retry.
    public init(maxTokens: Double = 10, tokenRatio: Double = 0.1) {
        self.maxTokens = max(maxTokens, 1)
        self.tokenRatio = max(tokenRatio, 0)
        self.tokens = self.maxTokens
    }

    /// Whether a retry would be allowed now.
    public var allowsRetry: Bool {
        tokens > maxTokens / 2
    }

    /// Takes a token for one retry if the budget allows it; returns whether the retry may go ahead.
    public mutating func acquireRetry() -> Bool {
        guard allowsRetry else { return false }
        tokens -= 1
        return true
    }

    /// Records a successful call, earning back `tokenRatio` tokens up to the capacity.
    public mutating func recordSuccess() {
        tokens = min(maxTokens, tokens + tokenRatio)
    }
}
