/// How one call is retried: how often, how long to wait between attempts, and when to stop.
///
/// The defaults suit an HTTP request to a market-data or broker API: four attempts, full-jitter backoff from 200 ms
/// doubling to at most 30 s, ten seconds per attempt and a minute overall.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The ceiling of the first backoff delay.
    public var baseDelay: Duration
    /// The factor the backoff ceiling grows by per retry.
    public var multiplier: Double
    /// No backoff delay is longer than this (a server's `Retry-After` may be).
    public var maxDelay: Duration
    /// How the backoff delay is randomised.
    public var jitter: Jitter
    /// The longest one attempt may take, or `nil` for no per-attempt limit.
    public var attemptTimeout: Duration?
    /// The longest the whole call, retries and delays included, may take, or `nil` for no overall limit.
    public var deadline: Duration?

    /// Creates a policy; every parameter has the default described on the type.
    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(200),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full,
        attemptTimeout: Duration? = .seconds(10),
        deadline: Duration? = .seconds(60)
    ) {
        self.maxAttempts = max(maxAttempts, 1)
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.attemptTimeout = attemptTimeout
        self.deadline = deadline
    }

    /// The policy with every default.
    public static let standard = RetryPolicy()

    /// A policy that tries once and never retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// A fresh backoff configured from this policy.
    public var backoff: Backoff {
        Backoff(baseDelay: baseDelay, multiplier: multiplier, maxDelay: maxDelay, jitter: jitter)
    }
}
