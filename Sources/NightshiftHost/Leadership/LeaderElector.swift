import Foundation
import NightshiftConfig
import NightshiftResilience
import Synchronization

/// Competes for the deployment's lease and keeps it: the I/O shell around `LeaseState`.
///
/// Two threads: one talks to PostgreSQL (acquire while standing by, renew while leading, each statement bounded by
/// half of `renew_every`, so a renewal that stalls still leaves time for a retry before the window closes), one ticks the state every few milliseconds so the trusted window closes on time even while a
/// statement hangs. `permits()` is the order gate: it reads the window against the clock under the state's lock, so
/// orders stop the instant the window ends, before any event is written or callback runs.
final class LeaderElector: Sendable {
    let settings: LeadershipSettings
    private let state: Mutex<LeaseState>
    private let clock: MonotonicClock
    private let log: any HostLog
    private let stopped = ShutdownSignal()
    private let threads = DispatchGroup()
    private let table: Mutex<LeaseTable>
    /// The epoch of a lease this host won after it had resigned (stopping): held in the database, never led.
    private let unclaimed = Mutex<Int64?>(nil)
    /// Runs the shell's part of each action (start brokers on promotion; escalate on fencing).
    private let perform: @Sendable (LeaseState.Action) -> Void

    init(
        settings: LeadershipSettings, secrets: Set<String>, log: any HostLog, clock: MonotonicClock = .continuous(),
        perform: @escaping @Sendable (LeaseState.Action) -> Void
    ) {
        self.settings = settings
        self.clock = clock
        self.log = log
        self.perform = perform
        state = Mutex(LeaseState(lease: settings.lease, margin: settings.renewEvery))
        let connection = LeaseConnection(
            url: settings.database, applicationName: "nightshift-lease:\(settings.node)",
            deadline: settings.renewEvery / 2, secrets: secrets)
        table = Mutex(LeaseTable(
            connection: connection, deployment: settings.deployment, node: settings.node,
            leaseMilliseconds: settings.lease.nanosecondsSaturated / 1_000_000))
    }

    /// The epoch an order may carry now, or nil while this host must not send orders.
    func permits() -> Int64? {
        let now = clock.now()
        return state.withLock { $0.permits(at: now) }
    }

    /// The current role.
    var role: LeaseState.Role { state.withLock { $0.role } }

    /// Starts competing for the lease.
    func start() {
        for body in [campaign, watch] {
            threads.enter()
            Thread.detachNewThread { [self] in
                body()
                threads.leave()
            }
        }
    }

    /// Stops both threads. After a clean drain (`release`), the lease is given up so a standby takes over at once;
    /// otherwise an order may still be on its way to the venue, and the lease is left to expire by the database clock.
    func stop(release: Bool) {
        let actions = state.withLock { $0.resign() }
        stopped.trigger()
        threads.wait()
        // A lease won by an acquire that was already in flight when the host resigned is held but never led.
        let epochs = actions.compactMap { action -> Int64? in
            if case .fence(let epoch, _) = action { return epoch }
            return nil
        } + unclaimed.withLock { $0.map { [$0] } ?? [] }
        guard release else {
            for epoch in epochs {
                log.warning(
                    "leadership_not_released", "host",
                    "an order may still be on its way to a venue; the lease of epoch \(epoch) expires by itself within "
                        + settings.lease.deploymentSpelling, fields(epoch))
            }
            return
        }
        for epoch in epochs {
            do {
                try table.withLock { try $0.release(epoch: epoch) }
                log.info("leadership_released", "host", "released the lease of epoch \(epoch)", fields(epoch))
            } catch {
                log.warning("leadership_release_failed", "host", "could not release the lease: \(error)", fields(epoch))
            }
        }
    }

    // MARK: - Threads

    /// Acquires while standing by, renews while leading; after a failure tries again sooner.
    ///
    /// A failure is logged when a streak of failures begins and every 50th attempt after, not at every retry.
    private func campaign() {
        var tableReady = false
        var failures = 0
        while !stopped.isTriggered {
            var pause = settings.renewEvery
            do {
                if !tableReady { try table.withLock { try $0.ensureTable() } }
                tableReady = true
                try attempt()
                failures = 0
            } catch {
                failures += 1
                if failures % 50 == 1 {
                    var details = fields(nil)
                    details["consecutive"] = .int(Int64(failures))
                    log.warning("leadership_attempt_failed", "host", "lease statement failed: \(error)", details)
                }
                apply { $0.renewFailed(now: clock.now()) }
                pause = settings.renewEvery / 4
            }
            if case .fenced = role { return }
            stopped.sleep(for: pause)
        }
    }

    /// One acquire or renewal, by role.
    private func attempt() throws(LeaseError) {
        let sentAt = clock.now()
        switch role {
        case .standby:
            let result = try table.withLock { table throws(LeaseError) in try table.acquire() }
            if result.won, let epoch = result.epoch {
                apply { $0.acquired(epoch: epoch, previous: result.previous, at: sentAt) }
                if role != .leader(epoch: epoch) { unclaimed.withLock { $0 = epoch } }
            } else {
                apply { $0.heldElsewhere(holder: result.holder, epoch: result.epoch) }
            }
        case .leader(let epoch):
            let confirmed = try table.withLock { table throws(LeaseError) in try table.renew(epoch: epoch) }
            apply { confirmed ? $0.renewed(at: sentAt, now: clock.now()) : $0.renewRejected() }
        case .fenced:
            return
        }
    }

    /// Ticks the state often enough that fencing is reported within a few milliseconds of the window's end.
    private func watch() {
        while !stopped.isTriggered {
            apply { $0.tick(clock.now()) }
            if case .fenced = role { return }
            stopped.sleep(for: .milliseconds(20))
        }
    }

    // MARK: - Actions

    /// Changes the state under its lock, then reports and performs what changed (outside the lock).
    private func apply(_ change: (inout LeaseState) -> [LeaseState.Action]) {
        let actions: [LeaseState.Action] = state.withLock { change(&$0) }
        for action in actions {
            switch action {
            case .announceStandby(let holder, let epoch):
                var details = fields(epoch)
                if let holder { details["holder"] = HostLogValue.string(holder) }
                log.info("leadership_standby", "host", "standing by; the lease is held by \(holder ?? "nobody yet")", details)
            case .promote(let epoch, let previous):
                var details = fields(epoch)
                if let previous { details["previous"] = HostLogValue.string(previous) }
                log.record("leadership_acquired", level: .notice, instance: "host",
                           message: "leading under epoch \(epoch) (previous holder: \(previous ?? "none"))", fields: details)
            case .fence(let epoch, let reason):
                log.record("leadership_lost", level: .critical, instance: "host",
                           message: "orders stopped: \(reason)", fields: fields(epoch).merging(["reason": .string(reason)]) { a, _ in a })
            }
            perform(action)
        }
    }

    private func fields(_ epoch: Int64?) -> [String: HostLogValue] {
        var fields: [String: HostLogValue] = ["node": .string(settings.node), "deployment": .string(settings.deployment)]
        if let epoch { fields["epoch"] = .int(epoch) }
        return fields
    }
}
