/// Whether a host is alive and ready: the pure decisions behind `/healthz` and `/readyz`.
///
/// Liveness (`/healthz`) holds while the host's monitor loop keeps beating (a heartbeat no older than
/// `heartbeatLimit`), no plugin call has overrun its deadline, and the event store reports no trouble. Readiness
/// (`/readyz`) holds between start-up's end (`READY=1`) and the start of a stop (`STOPPING=1`). Every instant is passed
/// in, so tests drive it without waiting.
public struct HealthState: Sendable, Hashable {
    /// Where the host is in its life.
    public enum Phase: String, Sendable, Hashable {
        case starting, ready, stopping
    }

    /// The longest silence from the monitor loop that still counts as alive.
    public var heartbeatLimit: Duration
    public private(set) var phase = Phase.starting
    public private(set) var lastHeartbeat: ContinuousClock.Instant?
    /// Why the host stalled for good (a plugin call overran its deadline), if it did.
    public private(set) var stall: String?

    public init(heartbeatLimit: Duration) {
        self.heartbeatLimit = heartbeatLimit
    }

    // MARK: - Inputs

    /// The monitor loop completed a healthy turn at `instant`; out-of-order instants are ignored.
    public mutating func heartbeat(at instant: ContinuousClock.Instant) {
        if lastHeartbeat.map({ instant > $0 }) ?? true { lastHeartbeat = instant }
    }

    /// A plugin call overran its deadline: the host is not alive any more, whatever the heartbeats say (the first
    /// reason is kept).
    public mutating func stalled(_ reason: String) {
        if stall == nil { stall = reason }
    }

    /// Start-up is complete.
    public mutating func ready() {
        if phase == .starting { phase = .ready }
    }

    /// A graceful stop has begun.
    public mutating func stopping() {
        phase = .stopping
    }

    // MARK: - Verdicts

    /// The `/healthz` answer at `now`, given the event store's trouble (nil when it works).
    public func liveness(at now: ContinuousClock.Instant, storeTrouble: String?) -> HealthVerdict {
        if let stall { return .failing("stalled: \(stall)") }
        guard let lastHeartbeat else { return .failing("starting: the monitor loop has not run yet") }
        let silence = now - lastHeartbeat
        if silence > heartbeatLimit {
            return .failing("monitor loop silent for \(Self.milliseconds(silence)) (limit \(Self.milliseconds(heartbeatLimit)))")
        }
        if let storeTrouble { return .failing(storeTrouble) }
        return .passing("ok")
    }

    /// The `/readyz` answer.
    public func readiness() -> HealthVerdict {
        switch phase {
        case .starting: .failing("starting")
        case .ready: .passing("ready")
        case .stopping: .failing("stopping")
        }
    }

    /// A duration in whole milliseconds, for a human: `7250 ms`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1_000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}

/// One health answer: whether it passes, and a one-line reason for the response body.
public struct HealthVerdict: Sendable, Hashable {
    public var healthy: Bool
    public var reason: String

    public static func passing(_ reason: String) -> HealthVerdict { HealthVerdict(healthy: true, reason: reason) }
    public static func failing(_ reason: String) -> HealthVerdict { HealthVerdict(healthy: false, reason: reason) }
}
