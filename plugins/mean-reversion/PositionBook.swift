import NightshiftKit

/// Positions from fills, and the one outstanding order per symbol.
///
/// The host assigns client order ids after `submit` returns and updates carry no side, so an update with an id not
/// yet seen is attributed to the symbol's outstanding order — unambiguous because there is at most one.
struct PositionBook {
    private var positions: [Symbol: Fixed] = [:]
    private var outstanding: [Symbol: Order.Side] = [:]
    private var sides: [String: Order.Side] = [:]
    private var filled: [String: Fixed] = [:]

    func position(_ symbol: Symbol) -> Fixed { positions[symbol] ?? .zero }

    func hasOutstanding(_ symbol: Symbol) -> Bool { outstanding[symbol] != nil }

    mutating func submitted(_ side: Order.Side, of symbol: Symbol) {
        outstanding[symbol] = side
    }

    mutating func apply(_ update: OrderUpdate) {
        let id = update.clientOrderID
        if sides[id] == nil, let side = outstanding[update.symbol] { sides[id] = side }
        guard let side = sides[id] else { return }
        let delta = update.filled - (filled[id] ?? .zero)
        filled[id] = update.filled
        positions[update.symbol, default: .zero] += side == .buy ? delta : -delta
        if update.status.isTerminal {
            outstanding[update.symbol] = nil
            sides[id] = nil
            filled[id] = nil
        }
    }
}
