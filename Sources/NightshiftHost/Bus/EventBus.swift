import Dispatch
import NightshiftABI
import Synchronization

/// Routes batches of events from sources to the strategies and brokers subscribed to them.
///
/// Each subscriber receives batches on its own serial queue, so it is called from one thread at a time and sees each
/// source's events in the order they were emitted. A subscriber may fall at most `Configuration.maxPendingBatches`
/// batches behind; past that the emitting source waits, which bounds memory without dropping anything.
final class EventBus: Sendable {
    struct Configuration: Sendable {
        var maxPendingBatches = 1024
    }

    /// Called with a subscriber whose `on_events` returned non-OK, and the plugin's reason.
    typealias FailureHandler = @Sendable (PluginInstance, ns_status, String) -> Void

    private struct Subscriber: Sendable {
        let instance: PluginInstance
        let credit: DispatchSemaphore
        /// Batches queued for the instance and not yet delivered (shared by all its subscriptions, like `credit`).
        let pending: PendingBatches
    }

    /// A count shared by reference between one instance's subscriptions.
    private final class PendingBatches: Sendable {
        let count = Atomic<Int>(0)
    }

    private let routes: [String: [Subscriber]]
    private let inFlight = DispatchGroup()
    private let delivered = Atomic<Int>(0)
    private let onFailure: FailureHandler

    /// - Parameters:
    ///   - subscriptions: for each source instance name, the instances that receive its events, in order.
    init(subscriptions: [String: [PluginInstance]], configuration: Configuration = .init(), onFailure: @escaping FailureHandler) {
        var shared: [ObjectIdentifier: Subscriber] = [:]
        routes = subscriptions.mapValues { instances in
            instances.map { instance in
                let subscriber = shared[ObjectIdentifier(instance)] ?? Subscriber(
                    instance: instance, credit: DispatchSemaphore(value: configuration.maxPendingBatches),
                    pending: PendingBatches())
                shared[ObjectIdentifier(instance)] = subscriber
                return subscriber
            }
        }
        self.onFailure = onFailure
    }

    /// Events delivered to subscribers so far (each event counted once per subscriber).
    var deliveredCount: Int { delivered.load(ordering: .relaxed) }

    /// Batches waiting for each subscriber, by instance name (for the metrics' queue depth).
    var pendingBatches: [String: Int] {
        var depths: [String: Int] = [:]
        for subscribers in routes.values {
            for subscriber in subscribers {
                depths[subscriber.instance.name] = subscriber.pending.count.load(ordering: .relaxed)
            }
        }
        return depths
    }

    /// Publishes a batch from `source`; returns once it is queued for every subscriber.
    func publish(from source: PluginInstance, events: UnsafeBufferPointer<ns_event>) {
        guard let subscribers = routes[source.name], !subscribers.isEmpty else { return }
        let batch = EventBatch(copying: events, sourceIndex: source.index)
        for subscriber in subscribers {
            // Waiting for a slow subscriber is not the source's own work: it does not count toward its call deadline.
            source.untimed { subscriber.credit.wait() }
            inFlight.enter()
            subscriber.pending.count.add(1, ordering: .relaxed)
            subscriber.instance.queue.async { [self] in
                defer {
                    subscriber.pending.count.subtract(1, ordering: .relaxed)
                    subscriber.credit.signal()
                    inFlight.leave()
                }
                deliver(batch, to: subscriber.instance)
            }
        }
    }

    /// Waits until every batch published so far has been delivered, or the deadline passes.
    ///
    /// - Returns: true when the bus is drained.
    func drain(until deadline: DispatchTime) -> Bool {
        inFlight.wait(timeout: deadline) == .success
    }

    private func deliver(_ batch: EventBatch, to instance: PluginInstance) {
        instance.onQueue { deliverOnQueue(batch, to: instance) }
    }

    private func deliverOnQueue(_ batch: EventBatch, to instance: PluginInstance) {
        guard let handle = instance.handle, !instance.awaitingRestart.load(ordering: .acquiring) else { return }
        let base = UnsafePointer(batch.events.baseAddress)
        let status: ns_status
        if let strategy = instance.plugin.strategy {
            status = strategy.on_events(handle, base, batch.count)
        } else if let onEvents = instance.plugin.broker?.on_events {
            status = onEvents(handle, base, batch.count)
        } else {
            return
        }
        delivered.add(batch.count, ordering: .relaxed)
        // NS_RETRY has nothing to retry here: the batch is delivered. Only a real failure restarts the instance.
        if status != Status.ok && status != Status.retry { onFailure(instance, status, instance.pluginLastError()) }
    }
}
