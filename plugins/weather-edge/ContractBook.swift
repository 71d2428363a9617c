import NightshiftKit

/// Contracts held per market from fills, and the one outstanding order per market.
///
/// The host assigns client order ids after `submit` returns, so an update with an id not yet seen belongs to the
/// market's outstanding order — unambiguous because there is at most one per market.
struct ContractBook {
    private struct Outstanding {
        var outcome: Order.Outcome
        var quantity: Int
        var clientOrderID: String?
        var filled: Fixed = .zero
    }

    private var held: [Symbol: Fixed] = [:]
    private var outstanding: [Symbol: Outstanding] = [:]

    /// Contracts held (filled), yes and no together.
    func held(_ market: Symbol) -> Fixed { held[market] ?? .zero }

    /// Held plus the unfilled part of the outstanding order, in whole contracts.
    func exposure(_ market: Symbol) -> Int {
        let open = outstanding[market].map { Fixed($0.quantity) - $0.filled } ?? .zero
        return Int(((held(market) + max(.zero, open)).raw + Fixed.scale - 1) / Fixed.scale)
    }

    func hasOutstanding(_ market: Symbol) -> Bool { outstanding[market] != nil }

    /// Records an order the host accepted for routing.
    mutating func submitted(_ outcome: Order.Outcome, quantity: Int, on market: Symbol) {
        outstanding[market] = Outstanding(outcome: outcome, quantity: quantity)
    }

    /// Applies an update; returns the newly filled contracts (zero when the update is not about an order here).
    @discardableResult
    mutating func apply(_ update: OrderUpdate) -> Fixed {
        guard var order = outstanding[update.symbol] else { return .zero }
        if let id = order.clientOrderID, id != update.clientOrderID { return .zero }
        order.clientOrderID = update.clientOrderID
        let delta = max(.zero, update.filled - order.filled)
        order.filled = max(order.filled, update.filled)
        held[update.symbol, default: .zero] += delta
        outstanding[update.symbol] = update.status.isTerminal ? nil : order
        return delta
    }
}
