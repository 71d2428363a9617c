import Dispatch
import Foundation
import NightshiftConfig
import NightshiftIO
import NightshiftResilience
import Synchronization

/// Runs a prepared deployment until SIGTERM/SIGINT or an escalation, then stops gracefully.
///
/// Start order: brokers, strategies, sources (so nothing emits into an instance that does not exist yet); stop order is
/// the reverse: sources stop first, the bus drains so every accepted event is delivered, orders get their first
/// answers, instances are destroyed, and the event log is flushed.
public final class Runtime: Sendable {
    /// Hooks to the outside world, injected so tests and the CLI decide what they are.
    public struct Hooks: Sendable {
        /// Sends sd_notify messages (`READY=1`, `STATUS=…`, `STOPPING=1`).
        public var notify: @Sendable ([SystemdNotification]) -> Void = { _ in }
        /// Called while the loop is healthy, at least once a second (feeds the watchdog).
        public var heartbeat: @Sendable () -> Void = {}
        /// The event log's trouble, if any (e.g. "event log: 12 events lost"), checked by the monitor loop and shown in
        /// `systemctl status` through `STATUS=` — losing events must never be silent.
        public var eventLogTrouble: @Sendable () -> String? = { nil }
        /// Called once when a plugin call overruns its deadline: the watchdog must stop being fed for good.
        public var stalled: @Sendable (String) -> Void = { _ in }
        /// Flushes the event log within the bound; returns when done or the bound passes.
        public var flushEvents: @Sendable (Duration) -> Void = { _ in }

        public init() {}
    }

    /// Where the sources' market data comes from.
    public enum Mode: Sendable {
        /// The network, as in production.
        case live
        /// The network, with every response and frame the sources receive also written to a recording.
        case record(Recorder)
        /// A recording, fed through the same plugins on a simulated clock, with no network at all.
        case replay(ReplaySession)
    }

    public let prepared: PreparedDeployment
    public let runID: String
    public let mode: Mode
    let log: any HostLog
    let hooks: Hooks
    public let shutdown = ShutdownSignal()
    private let exitCode = Mutex<ExitCode>(.success)
    let stalledReported = Atomic<Bool>(false)
    /// What `start` built and when, while the runtime runs (read by `gauges`).
    let running = Mutex<(started: Started, since: DispatchTime)?>(nil)
    /// Whether systemd watches us (`WATCHDOG_USEC` set): a stall is then left to the watchdog; otherwise we escalate.
    let watchdogEnabled: Bool

    public init(
        prepared: PreparedDeployment, runID: String, log: any HostLog, hooks: Hooks = Hooks(), watchdogEnabled: Bool = false,
        mode: Mode = .live
    ) {
        self.watchdogEnabled = watchdogEnabled
        self.mode = mode
        self.prepared = prepared
        self.runID = runID
        self.log = log
        self.hooks = hooks
    }

    /// Stops the runtime with the escalation exit code (75), so systemd restarts the process.
    public func escalate(_ reason: String) {
        exitCode.withLock { if $0 == .success { $0 = .escalated } }
        log.record("host_escalated", level: .critical, instance: "host", message: reason, fields: [:])
        shutdown.trigger()
    }

    var exitCodeValue: ExitCode { exitCode.withLock { $0 } }

    /// Runs until stopped and returns the process exit code.
    public func run() -> ExitCode {
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { [self] signal in
            log.info("shutdown_requested", "host", "received signal \(signal); stopping", ["signal": .int(Int64(signal))])
            shutdown.trigger()
        }
        defer { signals.cancel() }
        let leadership = makeLeadership()
        leadership?.elector.start()
        if let leadership, leadership.settings.standby == .cold, !awaitPromotion(leadership) {
            leadership.elector.stop(release: true)
            hooks.flushEvents(prepared.deployment.host.shutdownTimeout)
            return exitCodeValue
        }
        let started: Started
        do {
            started = try start(leadership: leadership)
        } catch {
            leadership?.elector.stop(release: true)
            log.error("host_start_failed", "host", error.description)
            hooks.flushEvents(prepared.deployment.host.shutdownTimeout)
            return error.status == Status.invalidConfig ? .config : .escalated
        }
        running.withLock { $0 = (started, .now()) }
        hooks.notify([.ready, .status("running \(started.instances.count) plugin instance(s)")])
        log.info("host_started", "host", "running \(started.instances.count) instance(s)", [
            "run_id": .string(runID), "instances": .int(Int64(started.instances.count)),
        ])
        if case .replay(let session) = mode { replay(session, started) } else { monitor(started) }
        return stop(started)
    }
}
