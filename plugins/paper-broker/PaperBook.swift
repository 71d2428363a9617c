import NightshiftKit

/// The paper venue as a pure state machine: orders and quotes in, order updates out.
struct PaperBook {
    /// One order's state at the venue.
    private struct Entry {
        var order: Order
        var venueID: String
        var status: OrderUpdate.Status
        var filled = Fixed.zero
        var notional = Fixed.zero
        var reason: String?
        var time: Timestamp

        var remaining: Fixed { status.isTerminal ? .zero : order.quantity - filled }
    }

    private let partialFillRatio: Fixed
    private let venuePrefix: String
    private var quotes: [Symbol: (bid: Fixed, ask: Fixed)] = [:]
    private var entries: [String: Entry] = [:]
    /// Open orders in arrival order, the sequence in which quotes fill them.
    private var open: [String] = []
    private var sequence = 0

    init(partialFillRatio: Fixed, venuePrefix: String) {
        self.partialFillRatio = partialFillRatio
        self.venuePrefix = venuePrefix
    }

    /// Accepts an order: fills what the last quote allows, rests the rest, or rejects it.
    ///
    /// Submitting a client order id again returns the first submission's state rather than a second order.
    mutating func submit(_ order: Order, at time: Timestamp) -> OrderUpdate {
        if let existing = entries[order.clientOrderID] { return update(for: existing) }
        sequence += 1
        var entry = Entry(order: order, venueID: "\(venuePrefix)-\(sequence)", status: .new, time: time)
        if let quote = quotes[order.symbol] {
            if let price = fillPrice(order, quote) {
                // Fill-or-kill takes all or nothing; everything else starts with the configured share.
                let first = order.timeInForce == .fillOrKill ? order.quantity : Self.share(order.quantity, partialFillRatio)
                fill(&entry, quantity: first, at: price, time: time)
            }
            let immediate = order.timeInForce == .immediateOrCancel || order.timeInForce == .fillOrKill
            if immediate, entry.status != .filled {
                entry.status = .canceled
                entry.reason = "not fully marketable on arrival"
            }
        } else {
            entry.status = .rejected
            entry.reason = "no quote for this symbol yet"
        }
        entries[order.clientOrderID] = entry
        if !entry.status.isTerminal { open.append(order.clientOrderID) }
        return update(for: entry)
    }

    /// Records a quote and fills every open order on the symbol that it makes marketable.
    mutating func quote(_ symbol: Symbol, bid: Fixed, ask: Fixed, at time: Timestamp) -> [OrderUpdate] {
        quotes[symbol] = (bid, ask)
        var updates: [OrderUpdate] = []
        for id in open {
            guard var entry = entries[id], entry.order.symbol == symbol,
                let price = fillPrice(entry.order, (bid, ask))
            else { continue }
            fill(&entry, quantity: entry.order.quantity - entry.filled, at: price, time: time)
            entries[id] = entry
            updates.append(update(for: entry))
        }
        open.removeAll { entries[$0]?.status.isTerminal ?? true }
        return updates
    }

    /// The current state of an order.
    func query(_ clientOrderID: String) -> OrderUpdate? {
        entries[clientOrderID].map(update(for:))
    }

    // MARK: - Fills

    /// The price an order fills at against a quote, or `nil` when it is not marketable.
    private func fillPrice(_ order: Order, _ quote: (bid: Fixed, ask: Fixed)) -> Fixed? {
        let price = order.side == .buy ? quote.ask : quote.bid
        guard price > .zero else { return nil }
        guard order.type == .limit, let limit = order.limitPrice else { return price }
        return (order.side == .buy ? price <= limit : price >= limit) ? price : nil
    }

    private func fill(_ entry: inout Entry, quantity: Fixed, at price: Fixed, time: Timestamp) {
        let quantity = min(quantity, entry.order.quantity - entry.filled)
        guard quantity > .zero else { return }
        entry.filled += quantity
        entry.notional += quantity * price
        entry.time = time
        entry.status = entry.filled == entry.order.quantity ? .filled : .partiallyFilled
    }

    /// `ratio` of `quantity`, at least one raw unit so a fill always makes progress.
    private static func share(_ quantity: Fixed, _ ratio: Fixed) -> Fixed {
        max(quantity * ratio, Fixed(raw: 1))
    }

    private func update(for entry: Entry) -> OrderUpdate {
        OrderUpdate(
            symbol: entry.order.symbol, status: entry.status, filled: entry.filled, remaining: entry.remaining,
            averagePrice: entry.filled > .zero ? entry.notional / entry.filled : nil, time: entry.time,
            clientOrderID: entry.order.clientOrderID, venueOrderID: entry.venueID, reason: entry.reason)
    }
}
