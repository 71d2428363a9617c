/// Whether an event type means something broke, something healed, or neither: the colour of its timeline lane.
public enum EventCategory: String, Sendable, Hashable, CaseIterable {
    case failure
    case recovery
    case neutral

    /// Event types that mean something failed.
    public static let defaultFailureTypes: Set<String> = [
        "attempt_failed", "retry_exhausted", "stream_disconnected", "stream_gave_up", "cycle_skipped",
        "plugin_failed", "plugin_restarted", "event_store_unavailable", "order_rejected", "trade_blocked",
    ]

    /// Event types that mean something recovered.
    public static let defaultRecoveryTypes: Set<String> = [
        "stream_connected", "stream_reconnected", "retry_succeeded", "attempt_succeeded", "plugin_recovered",
        "event_store_recovered",
    ]

    private static let failureSuffixes = [
        "_failed", "_failure", "_exhausted", "_gave_up", "_disconnected", "_skipped", "_error", "_lost", "_rejected",
        "_timeout", "_timed_out", "_crashed",
    ]
    private static let recoverySuffixes = ["_connected", "_succeeded", "_recovered", "_restored", "_resumed"]

    /// The category of `eventType`: the given sets first, then the name's ending (`_failed`, `_recovered`, …).
    public static func of(
        _ eventType: String,
        failureTypes: Set<String> = defaultFailureTypes,
        recoveryTypes: Set<String> = defaultRecoveryTypes
    ) -> EventCategory {
        if failureTypes.contains(eventType) { return .failure }
        if recoveryTypes.contains(eventType) { return .recovery }
        // Failures first: `stream_disconnected` also ends in `connected`.
        if failureSuffixes.contains(where: eventType.hasSuffix) { return .failure }
        if recoverySuffixes.contains(where: eventType.hasSuffix) { return .recovery }
        return .neutral
    }
}
