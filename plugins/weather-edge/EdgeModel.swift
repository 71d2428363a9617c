import NightshiftKit

/// The strategy's decision for one market, as a pure function of the market, its forecast and the holding.
struct EdgeModel {
    /// What to do about a market.
    enum Decision: Equatable {
        /// Buy `quantity` contracts of `outcome` at `price` (the ask).
        case buy(Order.Outcome, quantity: Int, price: Fixed, probability: Double, edge: Double)
        /// Do nothing, for a reason worth a `trade_blocked` row.
        case blocked(Block)
    }

    /// Why a market was not traded, with the figures that decided it.
    struct Block: Equatable {
        /// A stable reason code: `market_closed`, `unsupported_strike`, `no_forecast`, `forecast_too_old`,
        /// `too_few_members`, `spread_too_wide`, `edge_below_threshold`, `order_pending`, `position_limit`.
        var reason: String
        var detail: String
        var fields: Logger.Metadata = [:]
    }

    let config: WeatherEdgeConfig

    /// Decides for `market`, given its forecast (if any), the contracts held or open on it, and whether an order on
    /// it is still outstanding.
    func decide(
        _ market: MarketView, forecast: Forecast?, holding: Int, outstanding: Bool, now: Timestamp
    ) -> Decision {
        guard market.isOpen(at: now) else {
            let status = market.status.isEmpty ? "unknown" : market.status
            return .blocked(Block(reason: "market_closed", detail: "status \(status)"))
        }
        guard let strike = market.strike else {
            return .blocked(Block(reason: "unsupported_strike", detail: "no daily-high strike this strategy prices"))
        }
        guard let forecast else {
            return .blocked(Block(reason: "no_forecast", detail: "no forecast for the market's day yet"))
        }
        let age = Double((now - forecast.time).components.seconds) / 3600
        guard age <= config.maxForecastAgeHours else {
            return .blocked(
                Block(
                    reason: "forecast_too_old", detail: "forecast is \(Int(age)) h old",
                    fields: ["forecast_age_hours": .double(age), "run_hint": "\(forecast.runHint)"]))
        }
        guard forecast.members.count >= config.minMembers,
            let probability = strike.probability(forecast.members, roundToWhole: config.roundToWholeDegrees)
        else {
            return .blocked(
                Block(
                    reason: "too_few_members", detail: "\(forecast.members.count) members",
                    fields: ["members": .int(Int64(forecast.members.count))]))
        }
        var fields: Logger.Metadata = [
            "probability": .double(probability), "yes_bid": .fixed(market.yesBid), "yes_ask": .fixed(market.yesAsk),
            "no_ask": .fixed(market.noAsk), "strike": "\(strike)", "run_hint": "\(forecast.runHint)",
        ]
        let hasYesAsk = market.yesAsk > .zero && market.yesAsk < 1
        let hasNoAsk = market.noAsk > .zero && market.noAsk < 1
        let spread = market.yesBid > .zero && hasYesAsk ? (market.yesAsk - market.yesBid).doubleValue : 1
        guard spread <= config.maxSpread else {
            fields["spread"] = .double(spread)
            return .blocked(Block(reason: "spread_too_wide", detail: "spread \(spread)", fields: fields))
        }
        let yesEdge = hasYesAsk ? probability - market.yesAsk.doubleValue : -1
        let noEdge = hasNoAsk ? (1 - probability) - market.noAsk.doubleValue : -1
        let (outcome, edge, price) =
            yesEdge >= noEdge ? (Order.Outcome.yes, yesEdge, market.yesAsk) : (.no, noEdge, market.noAsk)
        fields["edge"] = .double(edge)
        fields["outcome"] = "\(outcome)"
        guard edge >= config.minEdge else {
            let detail = "best edge \(rounded(edge)) below \(config.minEdge)"
            return .blocked(Block(reason: "edge_below_threshold", detail: detail, fields: fields))
        }
        guard !outstanding else {
            let detail = "an order on this market is still open"
            return .blocked(Block(reason: "order_pending", detail: detail, fields: fields))
        }
        let room = config.maxContractsPerMarket - holding
        guard room > 0 else {
            fields["holding"] = .int(Int64(holding))
            return .blocked(Block(reason: "position_limit", detail: "holding \(holding) contracts", fields: fields))
        }
        return .buy(outcome, quantity: min(config.orderSize, room), price: price, probability: probability, edge: edge)
    }

    private func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
