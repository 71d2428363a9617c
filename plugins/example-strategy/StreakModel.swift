import NightshiftKit

/// The example strategy's decisions as a pure state machine: mids and order outcomes in, decisions out.
///
/// Keeping the rules free of I/O makes them testable with plain values and keeps the plugin type a thin shell. Per
/// symbol it counts consecutive rising and falling mids; a run of `streak` rises buys (while below `max_position`),
/// a run of `streak` falls sells what is held. At most one order per symbol is outstanding; the position moves by
/// what an order filled once its outcome is final.
struct StreakModel {
    /// What to do after a mid.
    enum Decision: Equatable {
        case hold
        case order(Order.Side, Fixed)
    }

    private struct SymbolState {
        var lastMid: Fixed?
        /// Positive: consecutive rises; negative: consecutive falls.
        var run = 0
        var position = Fixed.zero
        var outstanding: Order.Side?
    }

    private let streak: Int
    private let quantity: Fixed
    private let maxPosition: Fixed
    private var symbols: [Symbol: SymbolState] = [:]

    init(streak: Int, quantity: Fixed, maxPosition: Fixed) {
        self.streak = streak
        self.quantity = quantity
        self.maxPosition = maxPosition
    }

    /// The position in `symbol` from final order outcomes so far.
    func position(_ symbol: Symbol) -> Fixed { symbols[symbol]?.position ?? .zero }

    /// Records a mid and decides.
    mutating func observe(_ symbol: Symbol, mid: Fixed) -> Decision {
        var state = symbols[symbol] ?? SymbolState()
        defer { symbols[symbol] = state }
        if let last = state.lastMid {
            if mid > last {
                state.run = max(state.run, 0) + 1
            } else if mid < last {
                state.run = min(state.run, 0) - 1
            }
        }
        state.lastMid = mid
        guard state.outstanding == nil else { return .hold }
        if state.run >= streak, state.position < maxPosition {
            state.run = 0
            return .order(.buy, min(quantity, maxPosition - state.position))
        }
        if state.run <= -streak, state.position > .zero {
            state.run = 0
            return .order(.sell, min(quantity, state.position))
        }
        return .hold
    }

    /// Records that the host accepted an order for routing.
    mutating func submitted(_ side: Order.Side, of symbol: Symbol) {
        symbols[symbol, default: SymbolState()].outstanding = side
    }

    /// Applies a broker's update: a final one moves the position by what filled and frees the symbol.
    mutating func apply(_ update: OrderUpdate) {
        guard update.status.isTerminal, var state = symbols[update.symbol], let side = state.outstanding else { return }
        state.position += side == .buy ? update.filled : -update.filled
        state.outstanding = nil
        symbols[update.symbol] = state
    }
}
