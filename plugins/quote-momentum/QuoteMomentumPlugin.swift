import NightshiftKit

/// A long-only momentum strategy on quotes: buy when the mid breaks above its EMA, flatten when it falls below.
///
/// Per symbol it keeps an exponential moving average of the quote mid with smoothing `2 / (window + 1)`, starting
/// at the first mid; no signal is given before `window` quotes. Each quote is compared with the EMA as it stood
/// before that quote:
///
/// - **Buy** while the mid is at least `threshold_bps` above the EMA, in lots of `quantity`, up to `max_position`
///   per symbol — only when the spread is at most `max_spread_bps` of the mid.
/// - **Sell to flatten** once the mid falls below the EMA while holding a position: the whole position in one
///   order, whatever the spread.
///
/// One order per symbol is open at a time; the position follows the fills in order updates. Orders are `market`,
/// or with `order_type: limit` marketable limits at the touch (buy at the ask, sell at the bid). A signal that a
/// filter stops — the spread too wide, the position at its limit, an opposite order still open — is written as a
/// `trade_blocked` event with its `reason` (`spread_too_wide`, `max_position`, `open_order`), at most once per
/// symbol and reason every `blocked_event_interval_seconds` of quote time, with the number suppressed in between.
/// Crossed or empty quotes are ignored. The host's risk limits apply after this strategy's own.
public struct QuoteMomentumPlugin: Strategy {
    public static let info = PluginInfo(
        name: "quote-momentum", version: "1.0.0",
        description: "Buys when the quote mid breaks above its EMA, flattens below it; spread and position filters.",
        configSchema: QuoteMomentumConfig.schema)

    private let context: PluginContext
    private let config: QuoteMomentumConfig
    private var model: MomentumModel
    private var limiter: BlockLimiter
    private let watched: Set<Symbol>

    public init(context: PluginContext) throws {
        let config = try context.config.decode(QuoteMomentumConfig.self)
        try config.validate()
        self.context = context
        self.config = config
        model = MomentumModel(config)
        limiter = BlockLimiter(interval: .seconds(config.blockedEventIntervalSeconds))
        watched = Set(config.symbols.map { context.symbol($0) })
    }

    public mutating func handle(events: EventBatch) throws {
        for event in events where event.kind == .quote && event.bid > .zero && event.ask > event.bid {
            guard watched.isEmpty || watched.contains(event.symbol) else { continue }
            switch model.observe(event.symbol, bid: event.bid, ask: event.ask) {
            case .hold:
                continue
            case .trade(let side, let quantity, let reading):
                place(side, quantity, event, reading)
            case .blocked(let side, let reason, let reading):
                block(side, reason, event, reading)
            }
        }
    }

    public mutating func handle(update: OrderUpdate) throws {
        model.apply(update)
        context.log.debug(
            "order update",
            metadata: [
                "client_order_id": "\(update.clientOrderID)", "status": "\(update.status)",
                "filled": .fixed(update.filled), "position": .fixed(model.exposure.position(update.symbol)),
            ])
    }

    // MARK: - Actions

    /// Submits one order and records it as open; an order the host refuses is logged and forgotten.
    private mutating func place(
        _ side: Order.Side, _ quantity: Fixed, _ quote: MarketEvent, _ reading: MomentumModel.Reading
    ) {
        let name = context.name(of: quote.symbol)
        let reason =
            side == .buy
            ? "mid \(reading.mid) is \(reading.deviationBps.rounded(2)) bps above EMA \(reading.ema.rounded(4))"
            : "mid \(reading.mid) fell below EMA \(reading.ema.rounded(4)); flattening"
        let order =
            config.type == .limit
            ? Order.limit(
                side, quantity, of: quote.symbol, at: side == .buy ? quote.ask : quote.bid,
                timeInForce: config.tif, reason: reason, time: quote.time)
            : Order(
                symbol: quote.symbol, side: side, timeInForce: config.tif, quantity: quantity, time: quote.time,
                reason: reason)
        var metadata = fields(name, side, reading)
        metadata["quantity"] = .fixed(quantity)
        do {
            try context.submit(order)
            model.submitted(side, of: quote.symbol)
            context.log.info("order \(side) \(quantity) \(name): \(reason)", metadata: metadata)
        } catch {
            context.log.warning("order \(side) \(quantity) \(name) not accepted: \(error)", metadata: metadata)
        }
    }

    private mutating func block(
        _ side: Order.Side, _ reason: MomentumModel.BlockReason, _ quote: MarketEvent, _ reading: MomentumModel.Reading
    ) {
        guard let suppressed = limiter.admit(quote.symbol, reason, at: quote.time) else { return }
        let name = context.name(of: quote.symbol)
        var metadata = fields(name, side, reading)
        metadata["reason"] = .string(reason.rawValue)
        metadata["suppressed"] = .int(Int64(suppressed))
        metadata["max_position"] = .fixed(config.maxPosition)
        metadata["max_spread_bps"] = .fixed(config.maxSpreadBps)
        context.log.event("trade_blocked", message: "\(side) \(name) blocked: \(reason.rawValue)", fields: metadata)
    }

    private func fields(_ name: String, _ side: Order.Side, _ reading: MomentumModel.Reading) -> Logger.Metadata {
        [
            "symbol": .string(name), "side": .string(side.description), "mid": .fixed(reading.mid),
            "ema": .fixed(reading.ema.rounded(4)), "deviation_bps": .fixed(reading.deviationBps.rounded(2)),
            "spread_bps": .fixed(reading.spreadBps.rounded(2)), "position": .fixed(reading.position),
        ]
    }
}

extension Fixed {
    /// The value rounded half away from zero to `places` decimals, for readable logs.
    func rounded(_ places: Int) -> Fixed {
        let unit = (0..<(8 - places)).reduce(Int64(1)) { value, _ in value * 10 }
        let (quotient, remainder) = raw.quotientAndRemainder(dividingBy: unit)
        let bump: Int64 = remainder.magnitude * 2 >= unit.magnitude ? (raw < 0 ? -1 : 1) : 0
        return Fixed(raw: (quotient + bump) * unit)
    }
}
