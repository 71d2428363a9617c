import Foundation
import NightshiftABI
import NightshiftIO
import NightshiftResilience

/// Drives one poll source on its schedule: begin the cycle, perform each request the plugin describes under the retry
/// policy, hand each response back, and skip the cycle (a `cycle_skipped` event) when retries are exhausted.
///
/// Cycles never overlap: the driver is one thread, and the scheduler coalesces fires that come due while a cycle runs.
/// After a long pause it runs once, not once per missed cycle.
final class PollDriver: Sendable {
    let instance: PluginInstance
    let schedule: NightshiftResilience.Schedule
    let http: HTTPService
    let log: any HostLog
    let supervisor: InstanceSupervisor
    let shutdown: ShutdownSignal
    /// Told when each cycle begins and ends, when the run is being recorded.
    let recorder: Recorder?
    private let finished = DispatchSemaphore(value: 0)

    init(instance: PluginInstance, schedule: NightshiftResilience.Schedule, http: HTTPService, log: any HostLog,
         supervisor: InstanceSupervisor, shutdown: ShutdownSignal, recorder: Recorder? = nil) {
        self.instance = instance
        self.schedule = schedule
        self.http = http
        self.log = log
        self.supervisor = supervisor
        self.shutdown = shutdown
        self.recorder = recorder
    }

    /// Starts the driver's thread.
    func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            loop()
        }
        thread.name = "poll.\(instance.name)"
        thread.start()
    }

    /// Waits for the driver to finish its current cycle after shutdown began.
    func join(until deadline: DispatchTime) -> Bool { finished.wait(timeout: deadline) == .success }

    private func loop() {
        guard var scheduler = try? CycleScheduler(schedule: schedule, now: Date(), runImmediately: true) else {
            log.error("plugin_failed", instance.name, "invalid schedule \(schedule)")
            return
        }
        while !shutdown.isTriggered {
            switch scheduler.poll(now: Date()) {
            case .wait(let delay):
                // Wake at least every second so a wall-clock jump is noticed promptly.
                shutdown.sleep(for: min(delay, .seconds(1)))
            case .busy:
                shutdown.sleep(for: .milliseconds(10))
            case .run(let missed):
                guard scheduler.cycleStarted(now: Date()) else { continue }
                if missed > 0 {
                    log.warning("cycle_missed", instance.name, "\(missed) cycle(s) came due while the previous cycle ran or the host was paused; running once",
                                ["missed": .int(Int64(missed))])
                }
                let outcome = runCycle()
                // A cycle cut short by shutdown is neither done nor skipped: the host is stopping.
                if shutdown.isTriggered { break }
                report(scheduler.cycleFinished(now: Date(), outcome: outcome))
            }
        }
    }

    /// Records a skipped cycle as a `cycle_skipped` event.
    func report(_ decision: CycleDecision) {
        if case .skipped(let reason, let next) = decision {
            log.warning("cycle_skipped", instance.name, "cycle skipped (\(reason)); next at \(next)", [
                "reason": .string(reason.rawValue), "next": .string(ISO8601DateFormatter().string(from: next)),
            ])
        }
    }

    /// One cycle, as one call into the plugin on its queue; `begin_cycle` gets `time` (ns since the epoch, the wall
    /// clock when nil).
    func runCycle(at time: Int64? = nil) -> CycleOutcome {
        guard let table = instance.plugin.pollSource else { return .exhausted }
        return instance.call { () -> CycleOutcome in
            guard let handle = instance.handle else { return .exhausted }
            let now = time ?? Int64(Date().timeIntervalSince1970 * 1e9)
            recorder?.cycleBegan(instance: instance.name, at: now)
            defer { recorder?.cycleEnded(instance: instance.name, finished: !shutdown.isTriggered) }
            if let failure = check(table.begin_cycle(handle, now), "begin_cycle") { return failure }
            while !shutdown.isTriggered {
                var described = ns_http_request()
                if let failure = check(table.next_request(handle, &described), "next_request") { return failure }
                if described.url.len == 0 { return .succeeded }
                let request = HTTPService.request(described)
                let label = described.label.string.isEmpty ? URL(string: request.url)?.host ?? "request" : described.label.string
                let timeout: Duration? = described.timeout_ns > 0 ? .nanoseconds(described.timeout_ns) : nil
                let idempotent = request.method.isSafeToRepeat || described.idempotency_key.len > 0
                var pluginFailure: (Int32, String)?
                var call = http
                call.retry.label = label
                let (status, _) = instance.untimed { call.perform(request, idempotent: idempotent, requestTimeout: timeout) { result in
                    var response = instance.response(result)
                    let status = instance.timed { table.on_response(handle, &response) }
                    if status == Status.ok { return nil }
                    let reason = instance.pluginLastError()
                    if status == Status.retry { return .pluginRetry(reason) }
                    pluginFailure = (status, reason)
                    return .nonRetryable(reason)
                } }
                if let (status, reason) = pluginFailure {
                    supervisor.failed(instance, status: status, message: reason, during: "on_response")
                    return .exhausted
                }
                if status != Status.ok { return .exhausted }
            }
            return .exhausted
        }
    }

    /// nil when `status` is OK; otherwise reports the failure and ends the cycle.
    private func check(_ status: Int32, _ call: String) -> CycleOutcome? {
        guard status != Status.ok else { return nil }
        // NS_RETRY ends the cycle (it is skipped, and the next runs on schedule); anything else is a plugin failure.
        if status != Status.retry {
            supervisor.failed(instance, status: status, message: instance.pluginLastError(), during: call)
        }
        return .exhausted
    }
}
