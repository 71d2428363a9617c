import Dispatch

extension Runtime {
    /// Figures sampled from a running runtime for the metrics endpoint.
    public struct Gauges: Sendable, Hashable {
        /// Batches published to each subscriber (strategy or broker) and not yet delivered, by instance name.
        public var queueDepths: [String: Int]
        /// For each source instance, the time since it last emitted events (or since the host became ready, if it has
        /// not emitted yet), so a silent feed shows as a growing age.
        public var sourceAges: [String: Duration]
    }

    /// The gauges now; nil before start-up has finished.
    public func gauges() -> Gauges? {
        guard let (started, since) = running.withLock({ $0 }) else { return nil }
        let now = Int64(DispatchTime.now().uptimeNanoseconds)
        var ages: [String: Duration] = [:]
        for instance in started.instances where instance.plugin.pollSource != nil || instance.plugin.streamSource != nil {
            let last = instance.lastEmittedAt.load(ordering: .relaxed)
            let from = last > 0 ? last : Int64(since.uptimeNanoseconds)
            ages[instance.name] = .nanoseconds(max(now - from, 0))
        }
        return Gauges(queueDepths: started.bus.pendingBatches, sourceAges: ages)
    }
}
