import NightshiftConfig
import Synchronization

/// The runtime's side of leadership: owns the elector, knows whether brokers run yet, and builds the order gate.
///
/// Orders flow only when both hold: the elector trusts its lease now, and the brokers have been started after the
/// promotion. Promotion is noticed by the runtime's monitor loop, which starts the brokers; fencing escalates at once
/// (exit 75), so systemd restarts the process and it comes back as a standby.
final class LeadershipCoordinator: Sendable {
    let elector: LeaderElector
    /// Set once when the lease is won; wakes a cold standby waiting to be promoted.
    let promotion: ShutdownSignal
    let brokersReady = Atomic<Bool>(false)

    init(settings: LeadershipSettings, secrets: Set<String>, log: any HostLog, escalate: @escaping @Sendable (String) -> Void) {
        let promotion = ShutdownSignal()
        self.promotion = promotion
        elector = LeaderElector(settings: settings, secrets: secrets, log: log) { action in
            switch action {
            case .announceStandby: break
            case .promote:
                promotion.trigger()
            case .fence(_, let reason):
                escalate("leadership lost: \(reason)")
            }
        }
    }

    var settings: LeadershipSettings { elector.settings }

    /// The router's gate: the epoch when leading with brokers started, else nil.
    var gate: @Sendable () -> Int64? {
        { [self] in brokersReady.load(ordering: .acquiring) ? elector.permits() : nil }
    }

    /// Whether the brokers still have to be started after a promotion.
    var brokersDue: Bool { promotion.isTriggered && !brokersReady.load(ordering: .acquiring) }
}
