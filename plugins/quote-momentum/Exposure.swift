import NightshiftKit

/// Positions from fills, and the one open order per symbol.
///
/// The host assigns client order ids after `submit` returns and updates carry no side, so an update with an id not
/// yet seen belongs to the symbol's open order — unambiguous because there is at most one. Fills count once: an
/// update moves the position by the growth of its cumulative filled quantity.
struct Exposure {
    private var positions: [Symbol: Fixed] = [:]
    private var open: [Symbol: Order.Side] = [:]
    private var sides: [String: Order.Side] = [:]
    private var filled: [String: Fixed] = [:]

    func position(_ symbol: Symbol) -> Fixed { positions[symbol] ?? .zero }

    /// The side of the symbol's open order, if one is open.
    func openSide(_ symbol: Symbol) -> Order.Side? { open[symbol] }

    mutating func submitted(_ side: Order.Side, of symbol: Symbol) {
        open[symbol] = side
    }

    mutating func apply(_ update: OrderUpdate) {
        let id = update.clientOrderID
        if sides[id] == nil, let side = open[update.symbol] { sides[id] = side }
        guard let side = sides[id] else { return }
        let delta = update.filled - (filled[id] ?? .zero)
        if delta > .zero {
            filled[id] = update.filled
            positions[update.symbol, default: .zero] += side == .buy ? delta : -delta
        }
        if update.status.isTerminal {
            open[update.symbol] = nil
            sides[id] = nil
            filled[id] = nil
        }
    }
}
