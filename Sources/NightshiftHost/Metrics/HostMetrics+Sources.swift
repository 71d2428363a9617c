import NightshiftEvents
import NightshiftMetrics

/// Gauges sampled at scrape time from the runtime and the event writer, and the hooks that feed health.
extension HostMetrics {
    /// Samples the runtime's bus queues and source ages (empty until start-up has finished).
    public func observe(_ runtime: Runtime) {
        registry.gauge(
            "bus_queue_depth", help: "Event batches published to a subscriber and not yet delivered (at most 1024).",
            labels: ["subscriber"]
        ) { runtime.gauges()?.queueDepths.map { MetricSample([$0.key], Double($0.value)) } ?? [] }
        registry.gauge(
            "last_event_age_seconds",
            help: "Seconds since a source instance last emitted events (since the host became ready if it has not yet).",
            labels: ["source"]
        ) {
            runtime.gauges()?.sourceAges.map { MetricSample([$0.key], Double($0.value.components.seconds)
                + Double($0.value.components.attoseconds) / 1e18) } ?? []
        }
    }

    /// Samples the event writer's spool, queue and tallies.
    public func observe(_ writer: EventWriter) {
        registry.gauge("event_spool_bytes", help: "Bytes of events spooled to disk while the store is away.") {
            [MetricSample([], Double(writer.counters.spoolBytes))]
        }
        registry.gauge("event_queue_depth", help: "Events queued for the store writer, not yet written or spooled.") {
            [MetricSample([], Double(writer.counters.queueDepth))]
        }
        registry.gauge("event_store_up", help: "1 while the event store accepts writes, 0 while events go to the spool.") {
            [MetricSample([], writer.counters.storeAvailable ? 1 : 0)]
        }
        registry.sampledCounter("events_written_total", help: "Events written to the event store.") {
            [MetricSample([], Double(writer.counters.written))]
        }
        registry.sampledCounter("events_lost_total", help: "Events lost because neither the store nor the spool took them.") {
            [MetricSample([], Double(writer.counters.lost))]
        }
    }

    /// `hooks` with health reporting added: heartbeats, a stall, readiness (`READY=1`) and the stop (`STOPPING=1`).
    public func hooks(wrapping hooks: Runtime.Hooks) -> Runtime.Hooks {
        var wrapped = hooks
        let health = health
        wrapped.heartbeat = {
            health.heartbeat()
            hooks.heartbeat()
        }
        wrapped.stalled = { reason in
            health.stalled(reason)
            hooks.stalled(reason)
        }
        wrapped.notify = { notifications in
            for notification in notifications {
                if notification == .ready { health.ready() }
                if notification == .stopping { health.stopping() }
            }
            hooks.notify(notifications)
        }
        return wrapped
    }
}
