import NightshiftKit

/// Rate-limits `trade_blocked` events: at most one per symbol and reason per interval, counting the rest.
///
/// Time is the quotes' own time, so a replay writes the same events as the live run did. The first block of a kind
/// is reported at once; the next report carries how many were suppressed in between.
struct BlockLimiter {
    private struct Key: Hashable {
        var symbol: Symbol
        var reason: MomentumModel.BlockReason
    }

    let interval: Duration
    private var last: [Key: Timestamp] = [:]
    private var suppressed: [Key: Int] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a block at `time` should be reported; if so, how many were suppressed since the last report.
    mutating func admit(_ symbol: Symbol, _ reason: MomentumModel.BlockReason, at time: Timestamp) -> Int? {
        let key = Key(symbol: symbol, reason: reason)
        if let previous = last[key], time - previous < interval {
            suppressed[key, default: 0] += 1
            return nil
        }
        last[key] = time
        return suppressed.removeValue(forKey: key) ?? 0
    }
}
