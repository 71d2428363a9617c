import NightshiftKit

/// The strategy's decisions as a pure state machine: quotes and order updates in, orders or blocks out.
struct MomentumModel {
    /// Why a trade the signal asked for was not placed.
    enum BlockReason: String, Equatable, CaseIterable {
        /// The spread is wider than `max_spread_bps` (buys only: a flatten is never held back by the spread).
        case spreadTooWide = "spread_too_wide"
        /// The position is already `max_position`.
        case maxPosition = "max_position"
        /// An order in the other direction is still open for the symbol.
        case openOrder = "open_order"
    }

    /// What the quote's numbers were, for logs and events.
    struct Reading: Equatable {
        var mid: Fixed
        var ema: Fixed
        /// (mid − EMA) / EMA in basis points.
        var deviationBps: Fixed
        /// (ask − bid) / mid in basis points.
        var spreadBps: Fixed
        var position: Fixed
    }

    /// What to do after a quote.
    enum Decision: Equatable {
        /// No signal, or the signal's order is already open.
        case hold
        /// Place an order.
        case trade(Order.Side, Fixed, Reading)
        /// The signal asked for a trade a filter stopped.
        case blocked(Order.Side, BlockReason, Reading)
    }

    private let config: QuoteMomentumConfig
    private let smoothing: Fixed
    private var averages: [Symbol: (ema: Fixed, samples: Int)] = [:]
    private(set) var exposure = Exposure()

    init(_ config: QuoteMomentumConfig) {
        self.config = config
        smoothing = Fixed(2) / (config.window + 1)
    }

    /// Compares the mid with the symbol's EMA so far, then folds the mid into the EMA.
    ///
    /// The EMA starts at the first mid; no signal is given until `window` quotes have been seen.
    mutating func observe(_ symbol: Symbol, bid: Fixed, ask: Fixed) -> Decision {
        let mid = (bid + ask) / 2
        let previous = averages[symbol] ?? (mid, 0)
        averages[symbol] = (previous.ema + (mid - previous.ema) * smoothing, previous.samples + 1)
        guard previous.samples >= config.window, previous.ema > .zero else { return .hold }

        let ema = previous.ema
        let position = exposure.position(symbol)
        let reading = Reading(
            mid: mid, ema: ema, deviationBps: (mid - ema) * 10_000 / ema, spreadBps: (ask - bid) * 10_000 / mid,
            position: position)
        if mid - ema >= ema * config.thresholdBps / 10_000 {
            return decide(.buy, symbol, reading)
        }
        if position > .zero, mid < ema {
            return decide(.sell, symbol, reading)
        }
        return .hold
    }

    private func decide(_ side: Order.Side, _ symbol: Symbol, _ reading: Reading) -> Decision {
        if let open = exposure.openSide(symbol) {
            return open == side ? .hold : .blocked(side, .openOrder, reading)
        }
        guard side == .buy else { return .trade(.sell, reading.position, reading) }
        guard reading.position < config.maxPosition else { return .blocked(.buy, .maxPosition, reading) }
        guard reading.spreadBps <= config.maxSpreadBps else { return .blocked(.buy, .spreadTooWide, reading) }
        return .trade(.buy, min(config.quantity, config.maxPosition - reading.position), reading)
    }

    /// Records an order the host accepted for routing.
    mutating func submitted(_ side: Order.Side, of symbol: Symbol) {
        exposure.submitted(side, of: symbol)
    }

    /// Applies a broker's update to the position and the open order.
    mutating func apply(_ update: OrderUpdate) {
        exposure.apply(update)
    }
}
