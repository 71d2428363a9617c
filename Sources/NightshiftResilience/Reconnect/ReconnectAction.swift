/// What the stream shell must do, as answered by `ReconnectSupervisor`.
public enum ReconnectAction: Sendable, Hashable {
    /// Open the link now (connect, authenticate, subscribe), calling `connectStarted(now:)` first.
    case connect
    /// Wait `after`, then open the link again. `consecutive` is the number of failures in a row so far.
    case reconnect(after: Duration, consecutive: Int)
    /// The link has been silent for `idleFor`: close it, then report `disconnected(_:now:)`.
    case stalled(idleFor: Duration)
    /// Too many failures in a row: escalate. The host exits with its documented code and systemd restarts it.
    case giveUp(consecutive: Int, reason: String)
    /// A fatal condition (rejected credentials, a fatal close code): stop and do not reconnect.
    case stop(String)
}
