import NightshiftConfig
import NightshiftHost

/// The metrics endpoint of `run` and `record`, when the deployment has a `metrics:` section that is on.
enum MetricsLaunch {
    /// Starts serving before the runtime starts, or says why not (on stderr and as a `host_start_failed` event) with
    /// the exit code that fits: 78 for an address the configuration must change.
    ///
    /// - Parameters:
    ///   - trouble: the event log's trouble, asked at each `/healthz`.
    ///   - watchdog: systemd's watchdog interval, if it watches the host.
    static func start(
        _ prepared: PreparedDeployment, log: EventLog, trouble: @escaping @Sendable () -> String?, watchdog: Duration?
    ) -> Result<MetricsEndpoint?, HostLaunch.Exit> {
        guard let settings = prepared.deployment.metrics, settings.enabled else { return .success(nil) }
        let metrics = HostMetrics(
            version: Nightshift.version, abi: "\(HostABI.major).\(HostABI.minor)",
            heartbeatLimit: MetricsEndpoint.heartbeatLimit(watchdog: watchdog), storeTrouble: trouble)
        metrics.observe(log.writer)
        do {
            let endpoint = try MetricsEndpoint(settings, metrics: metrics)
            let exposed = settings.isLoopback ? "" : " (not loopback: anyone who can reach this address can read them)"
            metrics.log(wrapping: log).record(
                "metrics_listening", level: settings.isLoopback ? .info : .warning, instance: "host",
                message: "serving /metrics, /healthz and /readyz on http://\(endpoint.address)\(exposed)",
                fields: ["address": .string(endpoint.address), "port": .int(Int64(endpoint.server.port))])
            return .success(endpoint)
        } catch {
            printError("Error: \(error)")
            log.error("host_start_failed", "host", error.description, ["address": .string(error.address)])
            log.flush(timeout: prepared.deployment.host.shutdownTimeout)
            return .failure(HostLaunch.Exit(exitCode: error.exitCode))
        }
    }
}
