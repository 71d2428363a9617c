import Foundation
import NightshiftConfig
import NightshiftIO
import NightshiftResilience

extension Runtime {
    /// What `start` built, for the monitor loop and `stop`.
    struct Started: Sendable {
        var instances: [PluginInstance]
        var host: RuntimeHost
        var bus: EventBus
        var router: OrderRouter
        var supervisor: InstanceSupervisor
        var pollDrivers: [PollDriver]
        var streamDrivers: [StreamDriver]
        var leadership: LeadershipCoordinator?
        /// Brokers a warm standby has not created yet; created on promotion, before orders may flow.
        var deferredBrokers: [PluginInstance] = []
    }

    /// Creates every instance (brokers, then strategies, then sources) and starts the source drivers.
    ///
    /// Under leadership the router's gate refuses orders until the lease is won and the brokers run; a warm standby
    /// leaves its brokers uncreated until then (`startDeferredBrokers`).
    func start(leadership: LeadershipCoordinator? = nil) throws(InstanceError) -> Started {
        let deployment = prepared.deployment
        let host = RuntimeHost(symbols: SymbolTable(), log: log)
        host.clock = mode.clock
        let instances = prepared.instances.enumerated().map { index, prepared in
            PluginInstance(
                name: prepared.settings.name, plugin: prepared.plugin, index: UInt32(index + 1),
                configScalars: prepared.configScalars, host: host)
        }
        let byName = Dictionary(uniqueKeysWithValues: instances.map { ($0.name, $0) })
        let supervisor = InstanceSupervisor(
            members: zip(instances, prepared.instances).map { instance, prepared in
                .init(instance: instance, configJSON: prepared.configJSON,
                      intensity: RestartIntensity(maxRestarts: prepared.settings.restart.maxRestarts,
                                                  within: prepared.settings.restart.within))
            },
            log: log, escalate: { [weak self] reason in self?.escalate(reason) })

        var subscriptions: [String: [PluginInstance]] = [:]
        for (instance, prepared) in zip(instances, prepared.instances) {
            for source in prepared.settings.subscribe { subscriptions[source, default: []].append(instance) }
        }
        let bus = EventBus(subscriptions: subscriptions) { instance, status, message in
            supervisor.failed(instance, status: status, message: message, during: "on_events")
        }
        var routes: [String: PluginInstance] = [:]
        for prepared in prepared.instances {
            if let broker = prepared.settings.routeTo { routes[prepared.settings.name] = byName[broker] }
        }
        let router = OrderRouter(
            routes: routes, strategies: instances.filter { $0.plugin.info.kinds.contains(.strategy) },
            limits: RiskLimits(deployment.risk), runTag: Runtime.orderTag(runID), symbols: host.symbols,
            log: leadership.map { NodeStampedLog(base: log, node: $0.settings.node) } ?? log,
            clock: mode.dateClock,
            onFailure: { instance, status, message in
                supervisor.failed(instance, status: status, message: message, during: "on_order_update")
            },
            tracksPrices: mode.isReplay, gate: leadership?.gate)
        host.bus = bus
        host.router = router
        if case .replay = mode {
            // Each batch's consequences settle before the source goes on, so a replay never races with itself.
            let settler = ReplaySettler(bus: bus, router: router, instances: instances)
            host.afterEmit = { settler.settle(excluding: $0) }
        }
        let client = HTTPClient()
        for (instance, prepared) in zip(instances, prepared.instances) {
            host.http[instance.name] = mode.adapt(HTTPService(
                client: client,
                retry: RetryingCall(
                    label: instance.name, instance: instance.name, policy: RetryPolicy(prepared.settings.retry),
                    budget: SharedRetryBudget(RetryBudget(maxTokens: prepared.settings.retry.budget.maxTokens,
                                                          tokenRatio: prepared.settings.retry.budget.tokenRatio)),
                    log: log, shutdown: shutdown)), for: instance)
        }

        // Registered before any plugin call: `streams` is read-only once plugins run.
        var streamDrivers: [StreamDriver] = []
        for (instance, prepared) in zip(instances, prepared.instances) where instance.plugin.streamSource != nil {
            if case .replay = mode {
                // A replay's feeder drives stream sources; what they send goes nowhere.
                host.streams[instance.name] = ReplayStreamSink()
                continue
            }
            let driver = StreamDriver(
                instance: instance, configuration: .init(policy: ReconnectPolicy(prepared.settings.reconnect)), log: log,
                shutdown: shutdown, escalate: { [weak self] reason in self?.escalate(reason) }, recorder: mode.recorder)
            host.streams[instance.name] = driver.sender
            streamDrivers.append(driver)
        }

        // Brokers first, sources last: nothing emits or routes into an instance that does not exist yet.
        let order = instances.sorted { startRank($0) < startRank($1) }
        let deferred = leadership?.promotion.isTriggered == false ? order.filter { startRank($0) == 0 } : []
        for instance in order where !deferred.contains(where: { $0 === instance }) {
            let configJSON = prepared.instances[Int(instance.index) - 1].configJSON
            do {
                try instance.create(configJSON: configJSON)
                log.info("plugin_started", instance.name, "\(instance.plugin.info.name) \(instance.plugin.info.version) started", [
                    "plugin": .string(instance.plugin.info.name), "version": .string(instance.plugin.info.version),
                ])
            } catch {
                for created in order.prefix(while: { $0 !== instance }).reversed() { created.destroy() }
                throw error
            }
        }
        var pollDrivers: [PollDriver] = []
        for (instance, prepared) in zip(instances, prepared.instances) where instance.plugin.pollSource != nil {
            guard !mode.isReplay, let schedule = prepared.settings.schedule, let service = host.http[instance.name] else { continue }
            let driver = PollDriver(
                instance: instance, schedule: NightshiftResilience.Schedule(schedule), http: service, log: log, supervisor: supervisor,
                shutdown: shutdown, recorder: mode.recorder)
            driver.start()
            pollDrivers.append(driver)
        }
        for driver in streamDrivers { driver.start() }
        if leadership != nil, deferred.isEmpty { leadership?.brokersReady.store(true, ordering: .releasing) }
        return Started(
            instances: order, host: host, bus: bus, router: router, supervisor: supervisor, pollDrivers: pollDrivers,
            streamDrivers: streamDrivers, leadership: leadership, deferredBrokers: deferred)
    }

    /// The run's part of every client order id: the random tail of the run id (a UUIDv7's leading digits are its
    /// timestamp and repeat across quick restarts; its last 48 bits are random), so ids never repeat across runs.
    static func orderTag(_ runID: String) -> String {
        String(runID.filter(\.isHexDigit).suffix(12))
    }

    func startRank(_ instance: PluginInstance) -> Int {
        let kinds = instance.plugin.info.kinds
        if kinds.contains(.broker) { return 0 }
        if kinds.contains(.strategy) { return 1 }
        return 2
    }
}

// MARK: - Settings to policies

extension RetryPolicy {
    init(_ settings: RetrySettings) {
        self.init(
            maxAttempts: settings.maxAttempts, baseDelay: settings.baseDelay, multiplier: settings.multiplier,
            maxDelay: settings.maxDelay, jitter: NightshiftResilience.Jitter(rawValue: settings.jitter.rawValue) ?? .full,
            attemptTimeout: settings.attemptTimeout, deadline: settings.deadline)
    }
}

extension ReconnectPolicy {
    init(_ settings: ReconnectSettings) {
        self.init(
            baseDelay: settings.baseDelay, multiplier: settings.multiplier, maxDelay: settings.maxDelay,
            jitter: NightshiftResilience.Jitter(rawValue: settings.jitter.rawValue) ?? .full,
            maxConsecutiveFailures: settings.maxConsecutiveFailures, healthyAfter: settings.healthyAfter,
            idleTimeout: settings.idleTimeout)
    }
}

extension NightshiftResilience.Schedule {
    init(_ schedule: NightshiftConfig.Schedule) {
        switch schedule {
        case .every(let interval): self = .every(interval)
        case .atHoursUTC(let hours, let lag): self = .aligned(hoursUTC: hours, lag: lag)
        }
    }
}

extension RiskLimits {
    init(_ settings: RiskSettings) {
        func double(_ value: Decimal?) -> Double? { value.map { NSDecimalNumber(decimal: $0).doubleValue } }
        self.init(
            maxOrderQuantity: double(settings.maxOrderQuantity), maxNotional: double(settings.maxNotional),
            maxPosition: double(settings.maxPosition), maxOrdersPerMinute: settings.maxOrdersPerMinute,
            tradingHours: settings.tradingHours.flatMap { hours in
                TimeZone(identifier: hours.timezone).map {
                    TradingHours(startMinute: hours.start.minutes, endMinute: hours.end.minutes, timeZone: $0)
                }
            },
            killSwitchFile: settings.killSwitchFile.isEmpty ? nil : settings.killSwitchFile)
    }
}
