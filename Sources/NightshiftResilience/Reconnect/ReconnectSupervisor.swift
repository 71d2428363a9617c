/// The lifecycle of one stream (connect, authenticate, subscribe, read) as a state machine over instants passed in.
///
/// The shell reports what happens (`connectStarted`, `connected`, `dataReceived`, `disconnected`, `fatal`) and calls
/// `tick(now:)` periodically; the supervisor answers with `ReconnectAction`s. The rules:
/// - Every disconnect, and every connect that fails, is a failure; it is answered with a capped, jittered backoff
///   delay, or with `.giveUp` once `maxConsecutiveFailures` failures have happened in a row.
/// - The consecutive count resets only once the link was healthy: its first data arrived, or it stayed up for
///   `healthyAfter`. A link that connects and drops at once (flapping) keeps counting and escalates.
/// - A link silent for `idleTimeout` (a half-open TCP connection, a hung handshake) is reported `.stalled`.
/// - `fatal` stops at once, whatever the count.
///
/// Call `dataReceived` for application data after subscribing, not for handshake or authentication replies, so a
/// server that accepts and then rejects the subscription does not look healthy.
public struct ReconnectSupervisor: Sendable {
    /// Where the stream is in its lifecycle.
    public enum State: Sendable, Hashable {
        /// Not started yet.
        case idle
        /// A connect began at `since` and has not finished.
        case connecting(since: MonotonicInstant)
        /// The link is up since `since`; `lastData` is its latest data, if any.
        case connected(since: MonotonicInstant, lastData: MonotonicInstant?)
        /// The link is down and a reconnect has been ordered.
        case waiting
        /// Too many failures in a row; the supervisor will not reconnect.
        case gaveUp
        /// A fatal condition stopped the stream.
        case stopped
    }

    /// The rules this supervisor applies.
    public let policy: ReconnectPolicy
    /// Where the stream is now.
    public internal(set) var state: State = .idle
    /// Failures since the link was last healthy.
    public internal(set) var consecutiveFailures = 0
    /// Whether the current link has been healthy (data received, or up for `healthyAfter`).
    public internal(set) var isHealthy = false

    var stallReported = false
    var backoff: Backoff
    var jitter: any JitterSource

    /// Creates a supervisor for one stream.
    ///
    /// - Parameters:
    ///   - policy: The reconnect rules.
    ///   - jitter: The randomness for delays; pass a seeded `SplitMix64` for reproducible delays.
    public init(policy: ReconnectPolicy = .standard, jitter: any JitterSource = SystemJitter()) {
        self.policy = policy
        self.backoff = policy.backoff
        self.jitter = jitter
    }

    /// Whether the supervisor has finished for good (gave up or stopped).
    public var isFinished: Bool {
        state == .gaveUp || state == .stopped
    }

    /// Begins supervising: the answer is `.connect`, or the final action if the supervisor has already finished.
    public mutating func start() -> ReconnectAction {
        switch state {
        case .gaveUp: .giveUp(consecutive: consecutiveFailures, reason: "already gave up")
        case .stopped: .stop("already stopped")
        default: .connect
        }
    }

    /// Records that a connect attempt began at `now`.
    public mutating func connectStarted(now: MonotonicInstant) {
        guard !isFinished else { return }
        state = .connecting(since: now)
        isHealthy = false
        stallReported = false
    }

    /// Records that the link came up at `now` (transport open; authentication and subscription follow).
    public mutating func connected(now: MonotonicInstant) {
        guard !isFinished else { return }
        state = .connected(since: now, lastData: nil)
        stallReported = false
    }

    /// Records data arriving at `now`; the first data marks the link healthy.
    public mutating func dataReceived(now: MonotonicInstant) {
        guard case .connected(let since, _) = state else { return }
        state = .connected(since: since, lastData: now)
        stallReported = false
        markHealthy()
    }

    /// Records a fatal condition: the stream stops at once and is never reconnected.
    public mutating func fatal(_ reason: String) -> ReconnectAction {
        state = .stopped
        return .stop(reason)
    }

    /// Marks the link healthy, which forgives the failures before it.
    mutating func markHealthy() {
        guard !isHealthy else { return }
        isHealthy = true
        consecutiveFailures = 0
        backoff.reset()
    }
}
