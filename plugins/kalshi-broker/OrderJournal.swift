import NightshiftKit

/// What the broker remembers about the orders it sent: enough to find each again cheaply.
///
/// Kalshi's order list filters by ticker but not by client order id, so the journal keeps each order's ticker, and
/// its venue id once an answer named one (a direct `GET /portfolio/orders/{order_id}`). It also keeps when the
/// order was sent, so an order whose submission went unanswered is not declared missing before the venue had time
/// to show it.
struct OrderJournal {
    struct Entry: Equatable {
        var ticker: String
        var symbol: Symbol
        var sentAt: Timestamp
        var venueOrderID: String?
        /// Whether the submission got no usable answer.
        var unanswered: Bool
    }

    private var entries: [String: Entry] = [:]
    /// Client order ids in sending order, to bound memory.
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    subscript(clientOrderID: String) -> Entry? {
        entries[clientOrderID]
    }

    /// Records an order about to be sent.
    mutating func sending(_ clientOrderID: String, ticker: String, symbol: Symbol, at time: Timestamp) {
        if entries[clientOrderID] == nil { order.append(clientOrderID) }
        entries[clientOrderID] = Entry(
            ticker: ticker, symbol: symbol, sentAt: time, venueOrderID: nil, unanswered: true)
        if order.count > capacity {
            entries[order.removeFirst()] = nil
        }
    }

    /// Records the answer that named the venue's id.
    mutating func answered(_ clientOrderID: String, venueOrderID: String?) {
        guard var entry = entries[clientOrderID] else { return }
        entry.unanswered = false
        if let venueOrderID, !venueOrderID.isEmpty { entry.venueOrderID = venueOrderID }
        entries[clientOrderID] = entry
    }
}
