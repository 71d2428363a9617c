import NightshiftConfig
import NightshiftMetrics

/// The host's HTTP endpoint: `/metrics` (Prometheus text format), `/healthz` and `/readyz` over a `MetricsServer`.
///
/// `/healthz` answers 200 while the runtime's monitor loop has beaten within `heartbeatLimit(watchdog:)`, no plugin
/// call has overrun its deadline and the event log reports no trouble (store unavailable, events lost); otherwise 503
/// with the reason on one line. `/readyz` answers 200 from `READY=1` until `STOPPING=1`, 503 before and after.
public final class MetricsEndpoint: Sendable {
    public let metrics: HostMetrics
    public let server: MetricsServer

    /// The longest monitor-loop silence `/healthz` accepts: 5 s (twenty turns of the loop's 250 ms tick), or half the
    /// systemd watchdog interval when that is shorter, so `/healthz` fails no later than the watchdog stops being fed.
    public static func heartbeatLimit(watchdog interval: Duration?) -> Duration {
        guard let interval else { return .seconds(5) }
        return min(.seconds(5), interval / 2)
    }

    /// Binds the address in `settings` and serves `metrics` on it.
    ///
    /// - Throws: `MetricsServerError` naming the address (`isConfigurationProblem` tells whether the file is to blame).
    public init(_ settings: MetricsSettings, metrics: HostMetrics) throws(MetricsServerError) {
        self.metrics = metrics
        let registry = metrics.registry, health = metrics.health
        server = try MetricsServer(host: settings.host, port: settings.port, routes: [
            "/metrics": { .text(registry.render(), contentType: PrometheusText.contentType) },
            "/healthz": { .verdict(health.liveness()) },
            "/readyz": { .verdict(health.readiness()) },
        ])
    }

    /// The address served, with the port actually bound.
    public var address: String { server.address }

    /// Stops serving; idempotent.
    public func stop() { server.stop() }
}

extension MetricsServerError {
    /// 78 when the deployment's `metrics.listen` must change, else 75 (a restart may help).
    public var exitCode: ExitCode { isConfigurationProblem ? .config : .escalated }
}
