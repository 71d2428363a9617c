/// How a stream (WebSocket and the like) is reconnected after it drops, goes silent or flaps.
///
/// The defaults: full-jitter backoff from 500 ms doubling to at most 30 s; escalate after 10 failures in a row; a link
/// counts as healthy after its first data or after 30 s up; a link silent for 60 s is stalled.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The ceiling of the first reconnect delay.
    public var baseDelay: Duration
    /// The factor the delay ceiling grows by per consecutive failure.
    public var multiplier: Double
    /// No reconnect delay is longer than this.
    public var maxDelay: Duration
    /// How the delay is randomised.
    public var jitter: Jitter
    /// The failure that brings the consecutive count to this number escalates instead of reconnecting.
    public var maxConsecutiveFailures: Int
    /// A link that stays up this long counts as healthy even before any data.
    public var healthyAfter: Duration
    /// A link (or a connect in progress) without data for this long is stalled: probably half-open.
    public var idleTimeout: Duration

    /// Creates a policy; every parameter has the default described on the type.
    public init(
        baseDelay: Duration = .milliseconds(500),
        multiplier: Double = 2,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter = .full,
        maxConsecutiveFailures: Int = 10,
        healthyAfter: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60)
    ) {
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxConsecutiveFailures = max(maxConsecutiveFailures, 1)
        self.healthyAfter = healthyAfter
        self.idleTimeout = idleTimeout
    }

    /// The policy with every default.
    public static let standard = ReconnectPolicy()

    /// A fresh backoff configured from this policy.
    public var backoff: Backoff {
        Backoff(baseDelay: baseDelay, multiplier: multiplier, maxDelay: maxDelay, jitter: jitter)
    }
}
