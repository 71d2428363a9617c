/// Which of the host's counters one recorded event moves: the pure part of the metrics log.
///
/// Every event counts in `events_total`; some also count as a retry (`attempt_failed`), an exhausted retry, a
/// reconnect (a `stream_connected` of an instance that had connected before, which means a disconnect came in
/// between), a plugin failure or restart, or an order outcome. Order events are recorded under the strategy's
/// instance; a fill's outcome is `filled` or `partially_filled` from the event's `status` field.
struct EventClassifier: Sendable {
    /// One counter to increment.
    enum Count: Sendable, Hashable {
        case retry(instance: String)
        case retryExhausted(instance: String)
        case reconnect(instance: String)
        case pluginFailure(instance: String)
        case restart(instance: String)
        case order(instance: String, outcome: String)
    }

    /// Order event types and the outcome each stands for (`trade_executed` is decided by its status).
    static let orderOutcomes: [String: String] = [
        "order_submitted": "submitted", "order_accepted": "accepted", "order_rejected": "rejected",
        "order_canceled": "canceled", "order_unknown": "unknown", "order_reconciled": "reconciled",
        "trade_blocked": "blocked",
    ]

    /// Stream instances that have connected at least once.
    private var connected: Set<String> = []

    /// The counters `type` moves besides `events_total`.
    mutating func classify(_ type: String, instance: String, fields: [String: HostLogValue]) -> [Count] {
        switch type {
        case "attempt_failed": return [.retry(instance: instance)]
        case "retry_exhausted": return [.retryExhausted(instance: instance)]
        case "plugin_failed": return [.pluginFailure(instance: instance)]
        case "plugin_restarted": return [.restart(instance: instance)]
        case "stream_connected":
            return connected.insert(instance).inserted ? [] : [.reconnect(instance: instance)]
        case "trade_executed":
            let filled = fields["status"] == .string("filled")
            return [.order(instance: instance, outcome: filled ? "filled" : "partially_filled")]
        default:
            return Self.orderOutcomes[type].map { [.order(instance: instance, outcome: $0)] } ?? []
        }
    }
}
