import NightshiftResilience

/// One host's leadership as a pure state machine: standby, leader of an epoch, or fenced for good.
///
/// The database's clock decides when a lease row expires; this machine decides when the host stops trusting its own
/// lease, on the local monotonic clock. A lease confirmed by a request sent at `sentAt` cannot expire in the database
/// before `sentAt + lease` (the database stamps `now() + lease` after the request left), so the host trusts it only
/// until `sentAt + lease - margin`: it always fences itself before the database could hand the lease to another host.
/// A fenced host never leads again; its process exits and comes back as a standby.
public struct LeaseState: Sendable {
    /// What the host is now.
    public enum Role: Sendable, Equatable {
        case standby
        case leader(epoch: Int64)
        case fenced(reason: String)
    }

    /// What the shell must do after an input.
    public enum Action: Sendable, Equatable {
        /// Say once that this host stands by, and who leads (if anyone).
        case announceStandby(holder: String?, epoch: Int64?)
        /// Start brokers and let orders flow under `epoch`.
        case promote(epoch: Int64, previous: String?)
        /// Orders have already stopped; report why and restart as a standby.
        case fence(epoch: Int64, reason: String)
    }

    /// How long the database keeps a lease after each confirmation.
    public let lease: Duration
    /// How much earlier than the database the host gives its lease up (covers a request's transit and scheduling).
    public let margin: Duration
    public private(set) var role: Role = .standby
    /// Until when the leader trusts its lease (local monotonic clock); nil unless leading.
    public private(set) var validUntil: MonotonicInstant?
    private var announced = false

    /// - Parameters:
    ///   - lease: the lease's duration in the database.
    ///   - margin: the safety margin, below `lease` (the renewal interval is a good one).
    public init(lease: Duration, margin: Duration) {
        precondition(margin > .zero && margin < lease, "the margin must lie between zero and the lease")
        self.lease = lease
        self.margin = margin
    }

    /// The epoch under which an order may leave at `now`, or nil: only a leader inside its trusted window sends.
    ///
    /// This reads the clock against the window itself, so orders stop at the window's end even before a `tick`.
    public func permits(at now: MonotonicInstant) -> Int64? {
        guard case .leader(let epoch) = role, let validUntil, now < validUntil else { return nil }
        return epoch
    }

    // MARK: - Inputs

    /// An acquire attempt found the lease held by `holder` (nil: no row yet, or a race); announced once.
    public mutating func heldElsewhere(holder: String?, epoch: Int64?) -> [Action] {
        guard role == .standby, !announced else { return [] }
        announced = true
        return [.announceStandby(holder: holder, epoch: epoch)]
    }

    /// The acquire request sent at `sentAt` won the lease under `epoch`.
    public mutating func acquired(epoch: Int64, previous: String?, at sentAt: MonotonicInstant) -> [Action] {
        guard role == .standby else { return [] }
        role = .leader(epoch: epoch)
        validUntil = sentAt + lease - margin
        return [.promote(epoch: epoch, previous: previous)]
    }

    /// The renewal sent at `sentAt` was confirmed by the database, which it answered at `now`.
    ///
    /// A confirmation arriving after the trusted window closed cannot reopen it: orders may have been refused in
    /// between, and the host has already told itself it lost the lease.
    public mutating func renewed(at sentAt: MonotonicInstant, now: MonotonicInstant) -> [Action] {
        let fenced = tick(now)
        guard fenced.isEmpty, case .leader = role, let current = validUntil else { return fenced }
        validUntil = max(current, sentAt + lease - margin)
        return []
    }

    /// The renewal matched no row: another host holds the lease (or a newer epoch of this one). Fence at once.
    public mutating func renewRejected() -> [Action] {
        fence("the lease is held by another host")
    }

    /// The renewal failed without an answer (connection lost, timeout): keep trusting the window until it ends.
    public mutating func renewFailed(now: MonotonicInstant) -> [Action] {
        tick(now)
    }

    /// Time passes: a leader whose window has closed fences itself.
    public mutating func tick(_ now: MonotonicInstant) -> [Action] {
        guard case .leader = role, let validUntil, now >= validUntil else { return [] }
        return fence("the lease was not confirmed within \(lease - margin)")
    }

    /// Gives the lease up on purpose (shutdown); nothing to report when not leading. A standby stops for good too,
    /// so an acquire already in flight cannot promote a host that is stopping.
    public mutating func resign() -> [Action] {
        let reason = "the host is stopping"
        if role == .standby { role = .fenced(reason: reason) }
        return fence(reason)
    }

    private mutating func fence(_ reason: String) -> [Action] {
        guard case .leader(let epoch) = role else { return [] }
        role = .fenced(reason: reason)
        validUntil = nil
        return [.fence(epoch: epoch, reason: reason)]
    }
}
