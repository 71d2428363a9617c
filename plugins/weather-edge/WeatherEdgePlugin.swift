import NightshiftKit

/// A strategy that buys daily-high temperature contracts whose ensemble probability beats the ask.
///
/// It keeps the latest forecast per location and local day (from open-meteo-ensemble) and the latest snapshot per
/// market (from kalshi-markets). A market is priced when a `markets` mapping covers its ticker (by series or ticker
/// prefix); its settlement day comes from the ticker (`KXHIGHNY-25JAN01-…` → 2025-01-01). The probability of yes
/// is the share of members whose daily high meets the strike (``StrikeRule``); the edge is probability − yes ask
/// for yes, or (1 − probability) − no ask for no. The better side is bought at its ask when its edge reaches
/// `min_edge`, in lots of `order_size` up to `max_contracts_per_market`, one outstanding order per market.
///
/// Each filter that stops a trade — market closed, unsupported strike, no forecast yet, forecast too old, too few
/// members, spread too wide, edge below threshold, an order still open, position limit — is a `trade_blocked` row
/// with its `reason`, rate-limited per market by ``BlockedLog``. Fills arrive through `handle(update:)`.
public struct WeatherEdgePlugin: Strategy {
    public static let info = PluginInfo(
        name: "weather-edge", version: "1.0.0",
        description: "Buys daily-high temperature contracts whose ensemble probability beats the ask by min_edge.",
        configSchema: WeatherEdgeConfig.schema)

    private let context: PluginContext
    private let config: WeatherEdgeConfig
    private let model: EdgeModel
    private var forecasts: [String: Forecast] = [:]
    private var markets: [Symbol: MarketView] = [:]
    private var book = ContractBook()
    private var blocked: BlockedLog

    public init(context: PluginContext) throws {
        let config = try context.config.decode(WeatherEdgeConfig.self)
        try config.validate()
        self.context = context
        self.config = config
        model = EdgeModel(config: config)
        blocked = BlockedLog(interval: .seconds(Int64(config.blockedLogIntervalMinutes * 60)))
    }

    public mutating func handle(events: EventBatch) throws {
        var touched: [Symbol] = []
        var freshForecasts = Set<String>()
        for event in events {
            if let forecast = Forecast(event), forecast.variable == config.variable {
                let key = Self.key(forecast.location, forecast.date)
                if let known = forecasts[key], known.time > forecast.time { continue }
                forecasts[key] = forecast
                freshForecasts.insert(key)
            } else if let market = MarketView(event), mapping(for: market.ticker) != nil {
                markets[market.symbol] = market
                touched.append(market.symbol)
            }
        }
        if !freshForecasts.isEmpty {
            for (symbol, market) in markets where forecastKey(for: market).map(freshForecasts.contains) == true {
                touched.append(symbol)
            }
        }
        var seen = Set<Symbol>()
        for symbol in touched where seen.insert(symbol).inserted {
            evaluate(symbol)
        }
    }

    public mutating func handle(update: OrderUpdate) throws {
        let filled = book.apply(update)
        guard filled > .zero || update.status.isTerminal else { return }
        context.log.info(
            "order \(update.status) on \(context.name(of: update.symbol))",
            metadata: [
                "client_order_id": "\(update.clientOrderID)", "status": "\(update.status)",
                "filled": .fixed(update.filled), "held": .fixed(book.held(update.symbol)),
            ])
    }

    // MARK: - Deciding

    private mutating func evaluate(_ symbol: Symbol) {
        guard let market = markets[symbol], let mapping = mapping(for: market.ticker) else { return }
        let now = context.now
        guard let key = forecastKey(for: market) else {
            let block = EdgeModel.Block(reason: "no_settlement_date", detail: "the ticker names no day")
            return report(block, market: market, location: mapping.location, date: nil, now: now)
        }
        let date = TickerDate.date(in: market.ticker)
        let decision = model.decide(
            market, forecast: forecasts[key], holding: book.exposure(symbol), outstanding: book.hasOutstanding(symbol),
            now: now)
        switch decision {
        case .blocked(let block):
            report(block, market: market, location: mapping.location, date: date, now: now)
        case .buy(let outcome, let quantity, let price, let probability, let edge):
            place(outcome, quantity, at: price, market: market, probability: probability, edge: edge, now: now)
        }
    }

    private mutating func place(
        _ outcome: Order.Outcome, _ quantity: Int, at price: Fixed, market: MarketView, probability: Double,
        edge: Double, now: Timestamp
    ) {
        let reason = "p \(Self.fourDigits(probability)) vs \(outcome) ask \(price): edge \(Self.fourDigits(edge))"
        let order = Order(
            symbol: market.symbol, side: .buy, type: .limit, timeInForce: config.orderTimeInForce, outcome: outcome,
            quantity: Fixed(quantity), limitPrice: price, time: now, reason: reason)
        let metadata: Logger.Metadata = [
            "ticker": "\(market.ticker)", "outcome": "\(outcome)", "quantity": .int(Int64(quantity)),
            "price": .fixed(price), "probability": .double(probability), "edge": .double(edge),
        ]
        do {
            try context.submit(order)
            book.submitted(outcome, quantity: quantity, on: market.symbol)
            blocked.clear(market.symbol)
            context.log.info("buy \(quantity) \(outcome) \(market.ticker) at \(price): \(reason)", metadata: metadata)
        } catch {
            // The host has recorded its own trade_blocked row for a risk block.
            context.log.warning("order on \(market.ticker) not accepted: \(error)", metadata: metadata)
        }
    }

    /// Writes a `trade_blocked` row unless the same reason was logged for this market recently.
    private mutating func report(
        _ block: EdgeModel.Block, market: MarketView, location: String, date: String?, now: Timestamp
    ) {
        guard blocked.shouldLog(block.reason, for: market.symbol, at: now) else { return }
        var fields = block.fields
        fields["reason"] = "\(block.reason)"
        fields["ticker"] = "\(market.ticker)"
        fields["location"] = "\(location)"
        if let date { fields["date"] = "\(date)" }
        context.log.event("trade_blocked", message: "\(market.ticker): \(block.detail)", fields: fields)
    }

    // MARK: - Lookups

    private func mapping(for ticker: String) -> WeatherEdgeConfig.Mapping? {
        config.markets.first { $0.covers(ticker) }
    }

    private func forecastKey(for market: MarketView) -> String? {
        guard let mapping = mapping(for: market.ticker), let date = TickerDate.date(in: market.ticker) else {
            return nil
        }
        return Self.key(mapping.location, date)
    }

    private static func fourDigits(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    private static func key(_ location: String, _ date: String) -> String {
        "\(location)|\(date)"
    }
}
