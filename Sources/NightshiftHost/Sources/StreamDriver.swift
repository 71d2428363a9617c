import Foundation
import NightshiftIO
import NightshiftResilience

/// Drives one stream source: connect, let the plugin authenticate and subscribe, hand it every frame, and reconnect
/// under the instance's reconnect policy when the link drops, goes silent or flaps.
///
/// A thin shell over `ReconnectSupervisor`, which makes every decision (backoff delays, when the failure count
/// resets, stalls, giving up); the driver does the I/O through `WebSocketClient` and calls the plugin through its
/// instance's queue, one call at a time, from its own thread. Per link: `describe` → connect → `on_open` (the plugin
/// authenticates and subscribes with `stream_send`, on every new link, so resubscribing is the plugin's job) →
/// `on_frame` per text frame → `on_close` once the link is gone, exactly once per `on_open`.
///
/// The rules the shell adds to the supervisor's:
/// - Health: handshake and authentication replies are not data. A link turns healthy when the instance emits its
///   first event on it, or once it has been up for `healthyAfter`. From then on every frame and pong refreshes the
///   idle timer; before that, the idle timer runs from the moment the link opened, so a link that never gets past
///   its handshake stalls after `idleTimeout` (with the default policy `healthyAfter` comes first).
/// - `NS_RETRY` from `describe`, `on_open` or `on_frame` drops the link and counts as a failure, like a drop.
/// - `NS_FATAL` (or any other status) from those callbacks, say a refused login, stops the stream at once:
///   `stream_gave_up`, then the runtime escalates (exit 75). A source that stopped for good leaves the deployment
///   blind, and a visible restart by systemd, bounded by its start limit, beats trading on without data.
/// - After `maxConsecutiveFailures` failures in a row: `stream_gave_up` and the same escalation.
///
/// Events: `stream_connected` (url_host, attempt), `stream_disconnected` (reason, consecutive, delay_ms),
/// `stream_stalled` (idle_ms), `stream_overloaded` (max_backlog_bytes), `stream_gave_up` (consecutive, reason).
final class StreamDriver: Sendable {
    /// How the driver runs its links.
    struct Configuration: Sendable {
        /// The reconnect rules.
        var policy: ReconnectPolicy
        /// How often a link pings: a third of the idle timeout, so pongs keep a quiet link alive.
        var pingInterval: Duration
        /// How long the TCP connect, TLS and the opening handshake may take.
        var connectTimeout: Duration
        /// How long a shutdown waits for the closing handshake before moving on.
        var closeGrace: Duration = .milliseconds(500)
        /// The most frame bytes waiting for `on_frame`; past it the link is replaced (`stream_overloaded`).
        var maxBacklogBytes = 64 << 20

        /// A configuration for `policy`, with the ping interval and connect timeout derived from its idle timeout.
        init(policy: ReconnectPolicy) {
            self.policy = policy
            pingInterval = max(policy.idleTimeout / 3, .milliseconds(10))
            connectTimeout = max(min(policy.idleTimeout, .seconds(10)), .milliseconds(100))
        }
    }

    let instance: PluginInstance
    let configuration: Configuration
    let log: any HostLog
    let shutdown: ShutdownSignal
    let escalate: @Sendable (String) -> Void
    /// Registered in `RuntimeHost.streams` so the plugin's `stream_send` reaches the open link.
    let sender = Sender()
    let inbox: Inbox
    /// Runs the tasks that forward link events into `inbox`.
    let executor: QueueExecutor
    let clock = MonotonicClock.continuous()
    /// Told about each `on_open`, `on_frame` and `on_close` just before the call, when the run is being recorded.
    let recorder: Recorder?
    private let finished = DispatchSemaphore(value: 0)

    /// The longest the driver waits without looking at the shutdown signal.
    static let wakeInterval: Duration = .milliseconds(250)

    init(
        instance: PluginInstance, configuration: Configuration, log: any HostLog, shutdown: ShutdownSignal,
        escalate: @escaping @Sendable (String) -> Void, recorder: Recorder? = nil
    ) {
        self.instance = instance
        self.recorder = recorder
        self.configuration = configuration
        self.log = log
        self.shutdown = shutdown
        self.escalate = escalate
        executor = QueueExecutor(label: "nightshift.stream.\(instance.name)")
        inbox = Inbox(maxBacklogBytes: configuration.maxBacklogBytes)
    }

    var policy: ReconnectPolicy { configuration.policy }

    // MARK: - Lifecycle

    /// Starts the driver's thread.
    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            run()
        }
        thread.name = "stream.\(instance.name)"
        thread.start()
    }

    /// Asks the driver to close its link, call `on_close` and end; returns at once (see `join(until:)`).
    func stop() {
        inbox.push(.stop)
    }

    /// Waits for the driver's thread to end after `stop()`; false when `deadline` passed first.
    func join(until deadline: DispatchTime) -> Bool { finished.wait(timeout: deadline) == .success }

    /// Whether the driver should wind down.
    var isStopping: Bool { shutdown.isTriggered || inbox.isStopping }

    // MARK: - The supervisor's loop

    /// Follows the supervisor's actions until it finishes or the runtime shuts down.
    private func run() {
        var supervisor = ReconnectSupervisor(policy: policy)
        var action = supervisor.start()
        var linkCount = 0
        while !isStopping {
            switch action {
            case .connect:
                linkCount += 1
                guard let next = serveLink(number: linkCount, &supervisor) else { return }
                action = next
            case .reconnect(let delay, _):
                guard pause(for: delay) else { return }
                action = .connect
            case .stalled:
                // Answered by tick(now:) only, which serveLink handles; not expected here.
                action = .connect
            case .giveUp(let consecutive, let reason):
                giveUp(consecutive: consecutive, reason: reason)
                return
            case .stop(let reason):
                giveUp(consecutive: supervisor.consecutiveFailures, reason: reason)
                return
            }
        }
    }

    /// Waits out a backoff delay in short slices; false when shutdown began first.
    private func pause(for delay: Duration) -> Bool {
        let deadline = clock.now() + delay
        while !isStopping {
            let left = clock.now().duration(to: deadline)
            guard left > .zero else { return true }
            guard inbox.sleep(for: min(left, Self.wakeInterval)) else { return false }
        }
        return false
    }

    /// Records that the stream stopped for good and escalates the runtime.
    private func giveUp(consecutive: Int, reason: String) {
        log.record(
            "stream_gave_up", level: .critical, instance: instance.name,
            message: "stream stopped for good after \(consecutive) failure(s) in a row: \(reason)",
            fields: ["consecutive": .int(Int64(consecutive)), "reason": .string(reason)])
        escalate("stream \(instance.name) gave up: \(reason)")
    }
}

extension Duration {
    /// The duration in whole milliseconds, for event fields.
    var roundedMilliseconds: Int64 { Int64((seconds * 1000).rounded()) }
}
