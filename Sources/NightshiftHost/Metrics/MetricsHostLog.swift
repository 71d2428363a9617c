/// A `HostLog` that counts every event for the metrics, then hands it on unchanged.
///
/// The host's log is the one place every event passes (host events and plugins' own log lines alike), so wrapping it
/// is the whole hook: nothing in the runtime calls the metrics directly. Counting is a dictionary update under a lock;
/// the wrapped log does the I/O as before.
struct MetricsHostLog: HostLog {
    let wrapped: any HostLog
    let metrics: HostMetrics

    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        metrics.count(type, instance: instance, fields: fields)
        wrapped.record(type, level: level, instance: instance, message: message, fields: fields)
    }
}
