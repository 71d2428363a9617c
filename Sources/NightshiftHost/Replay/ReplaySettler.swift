import Dispatch

/// Waits until a replay's host has finished all work caused so far, which is what makes a replay deterministic.
///
/// Live, a source's events, a strategy's orders and a broker's fills run on separate queues and interleave however
/// the threads happen to run. A replay settles after every recorded entry and after every batch a source emits:
/// the bus has delivered every batch, every order handed to a broker has its answer, and every broker's and
/// strategy's queue has run what was queued on it (order updates, reconciliation queries). Work that causes more work is followed until a
/// whole pass sees nothing new, so the next entry always meets the same state.
struct ReplaySettler: Sendable {
    let bus: EventBus
    let router: OrderRouter
    /// The brokers and strategies, brokers first so the updates they report reach strategies' queues before those are
    /// flushed. Sources are left out: nothing queues work on them but restarts, which their next call waits behind
    /// anyway, and a replayed poll source's queue is held by its cycle while the cycle waits for the feeder.
    let instances: [PluginInstance]

    init(bus: EventBus, router: OrderRouter, instances: [PluginInstance]) {
        self.bus = bus
        self.router = router
        self.instances = instances.filter { rank($0) < 2 }.sorted { rank($0) < rank($1) }
    }

    /// A number that moves whenever work that can queue more work happened: a batch delivered (a broker may report
    /// fills from it), an order accepted for routing (its answer reaches the strategy). Cheap: a counter and one
    /// sequence number per strategy.
    private func activity() -> Int {
        bus.deliveredCount &+ router.state.withLock { $0.sequence.values.reduce(0, &+) }
    }

    /// Returns once nothing is left in flight.
    ///
    /// - Parameter caller: the instance whose queue the caller is on (a source emitting), which is not waited for.
    func settle(excluding caller: PluginInstance? = nil) {
        while true {
            let before = activity()
            _ = bus.drain(until: .distantFuture)
            _ = router.drain(until: .distantFuture)
            for instance in instances where instance !== caller {
                instance.queue.sync {}
            }
            let idle = bus.drain(until: .now()) && router.drain(until: .now())
            if idle, activity() == before { return }
        }
    }
}

/// 0 for brokers, 1 for strategies, 2 for anything that is also a source.
private func rank(_ instance: PluginInstance) -> Int {
    let kinds = instance.plugin.info.kinds
    if kinds.contains(.pollSource) || kinds.contains(.streamSource) { return 2 }
    if kinds.contains(.broker) { return 0 }
    if kinds.contains(.strategy) { return 1 }
    return 2
}
