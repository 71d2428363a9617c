import Foundation
import NightshiftJSON

/// What a replay did, for the closing summary: what was fed, what the strategies and the paper broker made of it, and
/// the profit or loss per symbol from the fills and the last price.
public struct ReplaySummary: Sendable {
    /// One symbol's line.
    public struct Symbol: Sendable, Equatable {
        public var symbol: String
        public var bought: Double
        public var sold: Double
        public var position: Double
        public var cash: Double
        /// The last price the sources reported, if any.
        public var lastPrice: Double?
        /// Cash plus the position at the last price (the cash alone without a price).
        public var pnl: Double
    }

    public var statistics: ReplaySession.Statistics
    public var ledger: ReplayLedger
    public var symbols: [Symbol]
    /// Where the replay's events were written.
    public var eventStore: String
    /// Why the replay stopped early, if it diverged from the recording.
    public var divergence: ReplayError?

    public init(statistics: ReplaySession.Statistics, ledger: ReplayLedger, eventStore: String, divergence: ReplayError?) {
        self.statistics = statistics
        self.ledger = ledger
        self.eventStore = eventStore
        self.divergence = divergence
        let names = Set(ledger.books.keys).union(statistics.lastPrices.keys).sorted()
        symbols = names.compactMap { name in
            guard let book = ledger.books[name] else { return nil }
            let last = statistics.lastPrices[name].map { Double($0) / 1e8 }
            return Symbol(
                symbol: name, bought: book.bought, sold: book.sold, position: book.position, cash: book.cash,
                lastPrice: last, pnl: last.map { book.pnl(lastPrice: $0) } ?? book.cash)
        }
    }

    /// The summary for people.
    public var text: String {
        var lines = [
            "replay summary",
            "  entries replayed  \(statistics.entriesReplayed) (\(statistics.cycles) cycles, \(statistics.responses) responses, \(statistics.frames) frames)",
            "  events emitted    \(statistics.eventsEmitted)",
            "  orders            \(ledger.orders) submitted, \(ledger.fills) fills, \(ledger.rejected) rejected",
        ]
        let blocked = ledger.blocked.values.reduce(0, +)
        lines.append("  blocked trades    \(blocked)")
        for (reason, count) in ledger.blocked.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            lines.append("    \(String(count).leftPadded(5))  \(reason)")
        }
        if !symbols.isEmpty {
            lines.append("  per symbol          bought       sold   position        last          pnl")
            for line in symbols {
                let columns = [line.bought, line.sold, line.position].map { Self.number($0).leftPadded(10) }
                let last = line.lastPrice.map { Self.number($0) } ?? "-"
                lines.append("    \(line.symbol.padding(toLength: 14, withPad: " ", startingAt: 0))\(columns.joined(separator: " ")) \(last.leftPadded(11)) \(Self.number(line.pnl).leftPadded(12))")
            }
        }
        lines.append("  events written to \(eventStore)")
        if let divergence { lines.append("  stopped early: \(divergence.message)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as one JSON object, for scripts.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("entries_replayed", .integer(Int64(statistics.entriesReplayed))), ("cycles", .integer(Int64(statistics.cycles))),
            ("responses", .integer(Int64(statistics.responses))), ("frames", .integer(Int64(statistics.frames))),
            ("events_emitted", .integer(Int64(statistics.eventsEmitted))), ("orders", .integer(Int64(ledger.orders))),
            ("fills", .integer(Int64(ledger.fills))), ("rejected", .integer(Int64(ledger.rejected))),
            ("blocked", .object(ledger.blocked.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })),
            ("symbols", .array(symbols.map { line in
                .object([
                    ("symbol", .string(line.symbol)), ("bought", Self.fixed(line.bought)), ("sold", Self.fixed(line.sold)),
                    ("position", Self.fixed(line.position)), ("cash", Self.fixed(line.cash)),
                    ("last_price", line.lastPrice.map(Self.fixed) ?? .null), ("pnl", Self.fixed(line.pnl)),
                ])
            })),
            ("event_store", .string(eventStore)),
        ]
        if let divergence { members.append(("diverged", .string(divergence.message))) }
        return .object(members)
    }

    /// A quantity or amount rounded to the ABI's 8 decimals, so sums of fills print without binary noise.
    static func fixed(_ value: Double) -> JSONValue { .number((value * 1e8).rounded() / 1e8) }

    /// A quantity or amount with at most 8 decimals (the ABI's fixed point), trailing zeros dropped.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.8f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
