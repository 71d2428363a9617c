import Dispatch
import Foundation

extension Runtime {
    /// The loop that runs while the host is up: reconciles open orders, watches for stalled plugin calls and feeds the
    /// watchdog only while no call has overrun its deadline.
    func monitor(_ started: Started) {
        var lastReconcile = DispatchTime.now()
        var reportedTrouble: String?
        while !shutdown.isTriggered {
            let trouble = hooks.eventLogTrouble()
            if trouble != reportedTrouble {
                hooks.notify([.status(trouble ?? "running \(started.instances.count) plugin instance(s)")])
                reportedTrouble = trouble
            }
            if let stalled = stalledInstance(started) {
                if !stalledReported.exchange(true, ordering: .relaxed) {
                    log.record("plugin_stalled", level: .critical, instance: stalled.name,
                               message: "a plugin call has not returned within call_deadline; no longer feeding the watchdog",
                               fields: [:])
                    hooks.notify([.status("stalled: \(stalled.name)")])
                    hooks.stalled("instance \(stalled.name) overran its call deadline")
                }
                if !watchdogEnabled { escalate("instance \(stalled.name) stalled") }
            } else {
                hooks.heartbeat()
            }
            if let leadership = started.leadership, leadership.brokersDue { startDeferredBrokers(started, leadership) }
            if DispatchTime.now().uptimeNanoseconds - lastReconcile.uptimeNanoseconds >= 1_000_000_000 {
                started.router.reconcile()
                lastReconcile = .now()
            }
            shutdown.sleep(for: .milliseconds(250))
        }
    }

    /// The first instance whose current call has run longer than its `call_deadline`.
    private func stalledInstance(_ started: Started) -> PluginInstance? {
        let now = Int64(DispatchTime.now().uptimeNanoseconds)
        return started.instances.first { instance in
            let began = instance.callStartedAt.load(ordering: .relaxed)
            let limit = prepared.instances[Int(instance.index) - 1].settings.callDeadline
            return began > 0 && Duration.nanoseconds(now - began) > limit
        }
    }

    /// Stops sources, drains the bus and the brokers, destroys instances in reverse start order, flushes events.
    ///
    /// The whole stop fits in `shutdown_timeout`: three quarters for stopping and draining, the rest (at least a
    /// second) for writing the last events, so the unit's `TimeoutStopSec` never cuts the final rows off.
    func stop(_ started: Started) -> ExitCode {
        let bound = prepared.deployment.host.shutdownTimeout
        let end = bound.fromNow
        let deadline = (bound * 3 / 4).fromNow
        hooks.notify([.stopping, .status("stopping")])
        shutdown.trigger()
        // Streams first: each closes its socket and calls on_close before anything downstream drains.
        for driver in started.streamDrivers { driver.stop() }
        var clean = started.streamDrivers.allSatisfy { $0.join(until: deadline) }
        clean = started.pollDrivers.allSatisfy { $0.join(until: deadline) } && clean
        clean = started.bus.drain(until: deadline) && clean
        let ordersDrained = started.router.drain(until: deadline)
        clean = ordersDrained && clean
        // The lease is still held (and renewed) while orders drain; then the gate closes and, when no order is still
        // on its way to a venue, the lease is handed over so the standby need not wait for it to expire.
        started.leadership?.elector.stop(release: ordersDrained)
        if clean {
            for instance in started.instances.reversed() { clean = instance.destroy(until: deadline) && clean }
        }
        log.info("host_stopped", "host", clean ? "stopped cleanly" : "stop bound of \(bound) passed; some work abandoned", [
            "events_emitted": .int(Int64(started.host.emittedCount)),
            "events_delivered": .int(Int64(started.bus.deliveredCount)),
            "open_orders": .int(Int64(started.router.openOrderCount)),
            "clean": .bool(clean),
        ])
        let remaining = Duration.nanoseconds(Int64(end.uptimeNanoseconds) - Int64(DispatchTime.now().uptimeNanoseconds))
        hooks.flushEvents(max(remaining, .seconds(1)))
        return exitCodeValue
    }
}
