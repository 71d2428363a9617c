import Dispatch

extension OrderRouter {
    /// Refuses an order because this host does not lead (it stands by, or has just been fenced).
    ///
    /// No broker is called and no per-order event is written: a warm standby's strategies may place an order on
    /// every quote. One `orders_suppressed_standby` summary goes out at most once a minute, counting the orders
    /// refused since the previous one.
    func suppress(_ strategy: PluginInstance) -> String {
        let now = DispatchTime.now().uptimeNanoseconds
        if let count = state.withLock({ $0.suppressed.count(at: now) }) {
            log.info("orders_suppressed_standby", "host", "\(count) order(s) refused: this host does not lead", [
                "suppressed": .int(Int64(count)), "strategy": .string(strategy.name),
            ])
        }
        return "this host does not lead (standby): orders are not sent"
    }
}

/// Counts refused orders and says when a summary is due: the first refusal at once, then at most one a minute.
struct SuppressionTally: Sendable, Equatable {
    /// The shortest time between two summaries.
    static let interval: UInt64 = 60_000_000_000
    private(set) var pending = 0
    private(set) var lastReport: UInt64?

    /// Counts one refusal at `now` (monotonic nanoseconds).
    ///
    /// - Returns: the number to report (this refusal included) when a summary is due, else nil.
    mutating func count(at now: UInt64) -> Int? {
        pending += 1
        if let lastReport, now &- lastReport < Self.interval { return nil }
        lastReport = now
        defer { pending = 0 }
        return pending
    }
}
