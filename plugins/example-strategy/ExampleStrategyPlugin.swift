import NightshiftKit

/// The example strategy from `docs/plugins.md`: trades short runs of rising or falling quote mids.
///
/// It shows the parts every Swift plugin has, in the order a reader meets them:
/// 1. ``info``: the name deployments use, a version, and the config schema the host validates against;
/// 2. ``init(context:)``: decode and check the configuration (a problem here is a configuration error, exit 78);
/// 3. the capability methods — here ``Strategy``'s — which the host calls one at a time, so plain `var` state is safe;
/// 4. host services through the ``PluginContext``: `symbol(_:)`, `submit(_:)`, `log`, typed event rows.
/// The decisions live in ``StreakModel``, a pure state machine; this type only wires it to the host.
public struct ExampleStrategyPlugin: Strategy {
    public static let info = PluginInfo(
        name: "example-strategy", version: "1.0.0",
        description: "Buys after a run of rising mids and sells after a run of falling ones.",
        configSchema: ExampleStrategyConfig.schema)

    private let context: PluginContext
    private var model: StreakModel
    /// The configured symbols, interned once; empty means every symbol.
    private let watched: Set<Symbol>

    public init(context: PluginContext) throws {
        let config = try context.config.decode(ExampleStrategyConfig.self)
        try config.validate()
        self.context = context
        model = StreakModel(streak: config.streak, quantity: config.quantity, maxPosition: config.maxPosition)
        watched = Set(config.symbols.map { context.symbol($0) })
    }

    public mutating func handle(events: EventBatch) throws {
        for event in events where event.kind == .quote && event.bid > .zero && event.ask > event.bid {
            guard watched.isEmpty || watched.contains(event.symbol) else { continue }
            if case .order(let side, let quantity) = model.observe(event.symbol, mid: event.mid) {
                place(side, quantity, of: event.symbol, at: event.time)
            }
        }
    }

    public mutating func handle(update: OrderUpdate) throws {
        model.apply(update)
        guard update.status.isTerminal else { return }
        context.log.event(
            "example_position", level: .debug, message: "position after \(update.clientOrderID)",
            fields: ["symbol": "\(context.name(of: update.symbol))", "position": .fixed(model.position(update.symbol))])
    }

    /// Submits one market order; a risk block is logged and the run starts over.
    private mutating func place(_ side: Order.Side, _ quantity: Fixed, of symbol: Symbol, at time: Timestamp) {
        let name = context.name(of: symbol)
        let reason = "\(side == .buy ? "rising" : "falling") run"
        do {
            try context.submit(.market(side, quantity, of: symbol, reason: reason, at: time))
            model.submitted(side, of: symbol)
            context.log.info("\(side) \(quantity) \(name) after a \(reason)", metadata: ["symbol": "\(name)"])
        } catch {
            // The host refused it (a risk limit) and has recorded a trade_blocked event: not a failure of the plugin.
            context.log.warning("\(side) \(quantity) \(name) not accepted: \(error)", metadata: ["symbol": "\(name)"])
        }
    }
}
