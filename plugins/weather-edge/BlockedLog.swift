import NightshiftKit

/// Rate-limits `trade_blocked` rows: per market, a reason is logged when it first appears or changes, and again only
/// after `interval` while it persists — so a situation that does not change is not a row every cycle.
struct BlockedLog {
    private struct Last {
        var reason: String
        var loggedAt: Timestamp
    }

    private let interval: Duration
    private var last: [Symbol: Last] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether to log `reason` for `market` now; records it when so.
    mutating func shouldLog(_ reason: String, for market: Symbol, at now: Timestamp) -> Bool {
        if let previous = last[market], previous.reason == reason, now - previous.loggedAt < interval {
            return false
        }
        last[market] = Last(reason: reason, loggedAt: now)
        return true
    }

    /// Forgets a market's last reason (it traded), so the next block is logged at once.
    mutating func clear(_ market: Symbol) {
        last[market] = nil
    }
}
