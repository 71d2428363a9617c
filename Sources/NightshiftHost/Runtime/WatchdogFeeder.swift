import Dispatch
import Foundation
import Synchronization

/// Feeds the systemd watchdog from a dedicated thread while the host's event loop keeps beating.
///
/// The thin shell around `WatchdogPacer`: the event loop calls `heartbeat()` every turn (at least every quarter of
/// the interval), plugin supervision calls `deadlineOverran(_:)` when a call blows its deadline, and the feeder's
/// own thread sends `WATCHDOG=1` through the notifier when the pacer says so. A dedicated thread, rather than a task
/// or a Dispatch queue, keeps feeding independent of the executors the event loop runs on: if those starve, the
/// heartbeats stop, and so does feeding.
///
/// ```swift
/// let notifier = SystemdNotifier()
/// let feeder = WatchdogFeeder.startIfEnabled(notifier: notifier) { reason in log.warning("watchdog: \(reason)") }
/// notifier.notify(.ready, .status("running"))
/// while running { …; feeder?.heartbeat() }
/// feeder?.stop()
/// ```
public final class WatchdogFeeder: Sendable {
    /// What the feeder reports when it starts or stops withholding `WATCHDOG=1`.
    public enum Transition: Sendable, Hashable {
        /// Feeding stopped for this reason; systemd will kill the process unless the loop recovers in time.
        case withholding(WatchdogPacer.StallReason)
        /// The loop beat again and feeding resumed.
        case resumed
    }

    /// The watchdog being fed.
    public let settings: WatchdogSettings

    private let notifier: SystemdNotifier
    private let onTransition: (@Sendable (Transition) -> Void)?
    private let pacer: Mutex<WatchdogPacer>
    private let phase = Mutex(Phase.idle)
    private let feeds = Atomic<Int>(0)
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private enum Phase {
        case idle, running, stopping, stopped
    }

    /// Creates a feeder; nothing is sent before `start()`.
    ///
    /// - Parameters:
    ///   - settings: The watchdog interval, usually `WatchdogSettings.fromEnvironment()`.
    ///   - notifier: Where `WATCHDOG=1` goes.
    ///   - onTransition: Called on the feeder's thread when feeding stops or resumes, e.g. to log an event.
    public init(
        settings: WatchdogSettings,
        notifier: SystemdNotifier,
        onTransition: (@Sendable (Transition) -> Void)? = nil
    ) {
        self.settings = settings
        self.notifier = notifier
        self.onTransition = onTransition
        pacer = Mutex(WatchdogPacer(interval: settings.interval, startingAt: .now))
    }

    /// Starts a feeder when systemd asked for a watchdog (`WATCHDOG_USEC` for this process), or returns nil.
    public static func startIfEnabled(
        notifier: SystemdNotifier,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onTransition: (@Sendable (Transition) -> Void)? = nil
    ) -> WatchdogFeeder? {
        guard notifier.isEnabled, let settings = WatchdogSettings.fromEnvironment(environment) else { return nil }
        let feeder = WatchdogFeeder(settings: settings, notifier: notifier, onTransition: onTransition)
        feeder.start()
        return feeder
    }

    // MARK: - Called by the host

    /// The event loop completed a turn: the process is healthy now.
    public func heartbeat() {
        let now = ContinuousClock.now
        pacer.withLock { $0.heartbeat(at: now) }
    }

    /// A plugin call overran its deadline: stop feeding for good, so systemd restarts the process.
    ///
    /// - Parameter description: Names the plugin and the call; never includes data or secrets.
    public func deadlineOverran(_ description: String) {
        pacer.withLock { $0.deadlineOverran(description) }
        wakeUp.signal()
    }

    /// How many `WATCHDOG=1` notifications the feeder has sent.
    public var feedCount: Int { feeds.load(ordering: .relaxed) }

    /// Starts the feeding thread; a second call does nothing.
    public func start() {
        let shouldStart = phase.withLock { phase in
            guard phase == .idle else { return false }
            phase = .running
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "nightshift-watchdog"
        thread.start()
    }

    /// Stops feeding and waits for the thread to end. Call it when shutdown begins, after `STOPPING=1`.
    public func stop() {
        let wasRunning = phase.withLock { phase in
            switch phase {
            case .running:
                phase = .stopping
                return true
            case .idle:
                phase = .stopped
                return false
            case .stopping, .stopped:
                return false
            }
        }
        guard wasRunning else { return }
        wakeUp.signal()
        finished.wait()
        phase.withLock { $0 = .stopped }
    }

    // MARK: - The feeding thread

    private func run() {
        var withholding = false
        while phase.withLock({ $0 == .running }) {
            let now = ContinuousClock.now
            let next: ContinuousClock.Instant
            switch pacer.withLock({ $0.decide(at: now) }) {
            case .feed:
                notifier.notify(.watchdog)
                pacer.withLock { $0.fed(at: now) }
                feeds.add(1, ordering: .relaxed)
                if withholding {
                    withholding = false
                    onTransition?(.resumed)
                }
                continue
            case .wait(let until):
                next = until
            case .withhold(let reason, let recheckAt):
                if !withholding {
                    withholding = true
                    onTransition?(.withholding(reason))
                }
                next = recheckAt
            }
            sleep(until: next)
        }
    }

    /// Sleeps until `instant`, or until `stop()` or `deadlineOverran(_:)` wakes the thread.
    private func sleep(until instant: ContinuousClock.Instant) {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: instant).components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return }
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let delay = nanoseconds.overflow ? Int.max : Int(nanoseconds.partialValue + attoseconds / 1_000_000_000)
        _ = wakeUp.wait(timeout: .now() + .nanoseconds(delay))
    }
}
