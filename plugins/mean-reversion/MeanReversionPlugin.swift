import NightshiftKit

/// A strategy that trades quotes back toward their recent average.
///
/// For each symbol it keeps the mean of the last `window` mids. Once the window is full it buys when the mid falls
/// below `mean × (1 − threshold)` and sells when it rises above `mean × (1 + threshold)`, in lots of `quantity`,
/// never beyond `max_position` (and, unless `allow_short`, never selling what it does not hold). One order per
/// symbol is outstanding at a time; the position follows the fills in order updates. Each order decision is logged;
/// quotes that lead to no order are not.
public struct MeanReversionPlugin: Strategy {
    public static let info = PluginInfo(
        name: "mean-reversion", version: "1.0.0",
        description: "Buys below and sells above a rolling mean of the quote mid, position-aware.",
        configSchema: MeanReversionConfig.schema)

    private let context: PluginContext
    private var model: MeanReversionModel
    private let watched: Set<Symbol>

    public init(context: PluginContext) throws {
        let config = try context.config.decode(MeanReversionConfig.self)
        try config.validate()
        self.context = context
        model = MeanReversionModel(config)
        watched = Set(config.symbols.map { context.symbol($0) })
    }

    public mutating func handle(events: EventBatch) throws {
        for event in events where event.kind == .quote && event.bid > .zero && event.ask > event.bid {
            guard watched.isEmpty || watched.contains(event.symbol) else { continue }
            switch model.observe(event.symbol, mid: event.mid) {
            case .hold:
                continue
            case .order(let side, let quantity, let mean):
                place(side, quantity, of: event.symbol, mid: event.mid, mean: mean, at: event.time)
            }
        }
    }

    public mutating func handle(update: OrderUpdate) throws {
        model.apply(update)
        context.log.debug(
            "order update",
            metadata: [
                "client_order_id": "\(update.clientOrderID)", "status": "\(update.status)",
                "filled": .fixed(update.filled), "position": .fixed(model.position(update.symbol)),
            ])
    }

    /// Submits one order and records it as outstanding; a blocked order is logged and forgotten.
    private mutating func place(
        _ side: Order.Side, _ quantity: Fixed, of symbol: Symbol, mid: Fixed, mean: Fixed, at time: Timestamp
    ) {
        let name = context.name(of: symbol)
        let reason = "mid \(mid) \(side == .buy ? "below" : "above") mean \(mean)"
        let metadata: Logger.Metadata = [
            "symbol": "\(name)", "side": "\(side)", "quantity": .fixed(quantity), "mid": .fixed(mid),
            "mean": .fixed(mean), "position": .fixed(model.position(symbol)),
        ]
        do {
            try context.submit(.market(side, quantity, of: symbol, reason: reason, at: time))
            model.submitted(side, of: symbol)
            context.log.info("order \(side) \(quantity) \(name): \(reason)", metadata: metadata)
        } catch {
            context.log.warning("order \(side) \(quantity) \(name) not accepted: \(error)", metadata: metadata)
        }
    }
}
