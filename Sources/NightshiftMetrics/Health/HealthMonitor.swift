import Synchronization

/// The thread-safe shell around `HealthState`: the host's hooks report into it, the HTTP server reads verdicts.
///
/// `storeTrouble` is asked at each `/healthz` request (it must be cheap and non-blocking), so the answer reflects the
/// event store at that moment rather than at the last monitor-loop turn.
public final class HealthMonitor: Sendable {
    private let state: Mutex<HealthState>
    private let clock = ContinuousClock()
    private let storeTrouble: @Sendable () -> String?

    public init(heartbeatLimit: Duration, storeTrouble: @escaping @Sendable () -> String? = { nil }) {
        state = Mutex(HealthState(heartbeatLimit: heartbeatLimit))
        self.storeTrouble = storeTrouble
    }

    public func heartbeat() { state.withLock { $0.heartbeat(at: clock.now) } }
    public func stalled(_ reason: String) { state.withLock { $0.stalled(reason) } }
    public func ready() { state.withLock { $0.ready() } }
    public func stopping() { state.withLock { $0.stopping() } }

    /// The `/healthz` answer now.
    public func liveness() -> HealthVerdict {
        let trouble = storeTrouble()
        return state.withLock { $0.liveness(at: clock.now, storeTrouble: trouble) }
    }

    /// The `/readyz` answer now.
    public func readiness() -> HealthVerdict {
        state.withLock { $0.readiness() }
    }
}
