/// What an operation run by `RetryRunner` learns about the attempt it is making.
public struct RetryAttempt: Sendable, Hashable {
    /// The attempt's number, from 1.
    public var number: Int
    /// The number of attempts the policy allows in total.
    public var maxAttempts: Int
    /// How long this attempt may take: the per-attempt timeout, cut to what is left before the deadline.
    ///
    /// The runner does not enforce it; the operation passes it on (as a libcurl timeout, for instance).
    public var timeout: Duration?

    /// Creates an attempt description.
    public init(number: Int, maxAttempts: Int, timeout: Duration?) {
        self.number = number
        self.maxAttempts = maxAttempts
        self.timeout = timeout
    }

    /// Whether this is the last attempt the policy allows.
    public var isLast: Bool {
        number >= maxAttempts
    }
}
