import NightshiftMetrics
import Synchronization

/// The host's metrics: counters fed by the event log, gauges sampled from the runtime, the event writer and health.
///
/// Families (all prefixed `nightshift_`): `events_total{type,instance}`, `retries_total{instance}`,
/// `retries_exhausted_total{instance}`, `reconnects_total{instance}`, `plugin_failures_total{instance}`,
/// `restarts_total{instance}`, `orders_total{instance,outcome}`, `bus_queue_depth{subscriber}`,
/// `last_event_age_seconds{source}`, the event store's `event_spool_bytes`, `event_queue_depth`,
/// `events_written_total`, `events_lost_total`, `event_store_up`, and `up`, `ready`, `build_info{version,abi}`.
///
/// ```swift
/// let metrics = HostMetrics(version: "0.1.0", abi: "1.0", heartbeatLimit: .seconds(5), storeTrouble: { nil })
/// let runtime = Runtime(prepared: prepared, runID: id, log: metrics.log(wrapping: log), hooks: metrics.hooks(wrapping: hooks))
/// metrics.observe(runtime)
/// ```
public final class HostMetrics: Sendable {
    public let registry: MetricsRegistry
    public let health: HealthMonitor
    private let classifier = Mutex(EventClassifier())
    private let events: MetricCounter
    private let retries: MetricCounter
    private let retriesExhausted: MetricCounter
    private let reconnects: MetricCounter
    private let failures: MetricCounter
    private let restarts: MetricCounter
    private let orders: MetricCounter

    /// - Parameters:
    ///   - heartbeatLimit: the longest monitor-loop silence `/healthz` accepts.
    ///   - storeTrouble: the event log's trouble (nil when fine), asked at each `/healthz`; cheap and non-blocking.
    public init(
        version: String, abi: String, heartbeatLimit: Duration, storeTrouble: @escaping @Sendable () -> String?,
        registry: MetricsRegistry = MetricsRegistry()
    ) {
        self.registry = registry
        let health = HealthMonitor(heartbeatLimit: heartbeatLimit, storeTrouble: storeTrouble)
        self.health = health
        events = registry.counter(
            "events_total", help: "Events recorded by the host and its plugins, by event type and instance.",
            labels: ["type", "instance"])
        retries = registry.counter(
            "retries_total", help: "Failed attempts that were retried (attempt_failed events).", labels: ["instance"])
        retriesExhausted = registry.counter(
            "retries_exhausted_total", help: "Calls that gave up after their last attempt (retry_exhausted events).",
            labels: ["instance"])
        reconnects = registry.counter(
            "reconnects_total", help: "Stream connections made after an earlier connection of the same instance ended.",
            labels: ["instance"])
        failures = registry.counter(
            "plugin_failures_total", help: "Plugin calls that failed (plugin_failed events).", labels: ["instance"])
        restarts = registry.counter(
            "restarts_total", help: "Plugin instances restarted by the supervisor (plugin_restarted events).",
            labels: ["instance"])
        orders = registry.counter(
            "orders_total", help: "Order events by strategy instance and outcome (submitted, accepted, filled, "
                + "partially_filled, rejected, canceled, unknown, reconciled, blocked).",
            labels: ["instance", "outcome"])
        registry.gauge("build_info", help: "Always 1; the labels name the host's version and plugin ABI.",
                       labels: ["version", "abi"]) { [MetricSample([version, abi], 1)] }
        registry.gauge("up", help: "1 while /healthz answers 200 (the monitor loop beats, the event store works).") {
            [MetricSample([], health.liveness().healthy ? 1 : 0)]
        }
        registry.gauge("ready", help: "1 while /readyz answers 200 (between start-up and the start of a stop).") {
            [MetricSample([], health.readiness().healthy ? 1 : 0)]
        }
    }

    /// A log that counts every event into these metrics before passing it to `log`.
    public func log(wrapping log: any HostLog) -> any HostLog {
        MetricsHostLog(wrapped: log, metrics: self)
    }

    /// Counts one recorded event.
    func count(_ type: String, instance: String, fields: [String: HostLogValue]) {
        events.increment([type, instance])
        for count in classifier.withLock({ $0.classify(type, instance: instance, fields: fields) }) {
            switch count {
            case .retry(let instance): retries.increment([instance])
            case .retryExhausted(let instance): retriesExhausted.increment([instance])
            case .reconnect(let instance): reconnects.increment([instance])
            case .pluginFailure(let instance): failures.increment([instance])
            case .restart(let instance): restarts.increment([instance])
            case .order(let instance, let outcome): orders.increment([instance, outcome])
            }
        }
    }
}
