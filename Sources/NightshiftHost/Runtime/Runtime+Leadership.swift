import Dispatch

/// The runtime's leadership steps: building the coordinator, a cold standby's wait, a warm standby's promotion.
extension Runtime {
    /// The coordinator when the deployment has a `leadership:` section (never in a replay, which sends no orders).
    func makeLeadership() -> LeadershipCoordinator? {
        guard let settings = prepared.deployment.leadership, !mode.isReplay else { return nil }
        return LeadershipCoordinator(settings: settings, secrets: prepared.deployment.secrets, log: log) { [self] reason in
            escalate(reason)
        }
    }

    /// A cold standby waits here, ready in systemd's eyes and feeding the watchdog, until it wins the lease.
    ///
    /// - Returns: false when shutdown (a signal, or an escalation) came first.
    func awaitPromotion(_ leadership: LeadershipCoordinator) -> Bool {
        hooks.notify([.ready, .status("standby (cold): waiting for the lease")])
        while !shutdown.isTriggered && !leadership.promotion.isTriggered {
            hooks.heartbeat()
            leadership.promotion.sleep(for: .milliseconds(250))
        }
        return !shutdown.isTriggered
    }

    /// A warm standby just won the lease: creates its brokers, then opens the order gate.
    ///
    /// A broker that cannot be created escalates: a leader that cannot trade must let the other host lead.
    func startDeferredBrokers(_ started: Started, _ leadership: LeadershipCoordinator) {
        for broker in started.deferredBrokers {
            let configJSON = prepared.instances[Int(broker.index) - 1].configJSON
            do {
                try broker.create(configJSON: configJSON)
                log.info("plugin_started", broker.name, "\(broker.plugin.info.name) \(broker.plugin.info.version) started", [
                    "plugin": .string(broker.plugin.info.name), "version": .string(broker.plugin.info.version),
                ])
            } catch {
                escalate("broker \(broker.name) could not start after winning the lease: \(error.description)")
                return
            }
        }
        leadership.brokersReady.store(true, ordering: .releasing)
    }
}
