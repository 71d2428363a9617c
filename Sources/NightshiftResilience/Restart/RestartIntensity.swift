/// OTP-style restart intensity: a plugin may be restarted at most `maxRestarts` times within `period`.
///
/// Each failure is recorded with its instant; failures older than `period` slide out of the window. A failure that
/// brings the count within the window above `maxRestarts` escalates (the supervisor above gives up and the process
/// exits), because a plugin that keeps crashing will not be fixed by restarting it faster.
public struct RestartIntensity: Sendable, Hashable {
    /// Restarts allowed within one `period`.
    public let maxRestarts: Int
    /// The length of the sliding window.
    public let period: Duration
    /// The failures inside the window as of the latest `failure(at:)`, oldest first.
    public private(set) var recentFailures: [MonotonicInstant] = []

    /// Creates an intensity limit.
    ///
    /// - Parameters:
    ///   - maxRestarts: Restarts allowed within `period`; the default is 3.
    ///   - period: The window; the default is 60 seconds.
    public init(maxRestarts: Int = 3, within period: Duration = .seconds(60)) {
        self.maxRestarts = max(maxRestarts, 0)
        self.period = period
    }

    /// Records a failure at `now` and says whether to restart or escalate.
    ///
    /// A failure counts as within the window while less than `period` has passed since it.
    public mutating func failure(at now: MonotonicInstant) -> RestartDecision {
        recentFailures.removeAll { now - $0 >= period }
        recentFailures.append(now)
        return recentFailures.count > maxRestarts ? .escalate : .restart
    }

    /// Forgets every recorded failure.
    public mutating func reset() {
        recentFailures.removeAll()
    }
}

/// The answer of `RestartIntensity.failure(at:)`.
public enum RestartDecision: Sendable, Hashable {
    /// Restart the failed component.
    case restart
    /// Too many restarts within the period: give up and let the level above handle it.
    case escalate
}
