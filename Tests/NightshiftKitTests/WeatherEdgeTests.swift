import Foundation
import NightshiftKit
import NightshiftKitTesting
import Testing
import WeatherEdge

@Suite struct WeatherEdgeTests {
    private let config = #"""
        {"markets":[{"series":"KXHIGHNY","location":"NYC"}],"min_edge":0.1,"max_spread":0.1,"min_members":4,
         "order_size":2,"max_contracts_per_market":3,"max_forecast_age_hours":12,"blocked_log_interval_minutes":60}
        """#

    private let bin = "KXHIGHNY-25JAN02-B42.5"

    /// A forecast event as open-meteo-ensemble emits it.
    private func forecast(
        _ harness: PluginHarness, members: [Double], date: String = "2025-01-02", location: String = "NYC",
        at time: Timestamp? = nil
    ) -> MarketEvent {
        let list = members.map { String($0) }.joined(separator: ",")
        let payload = #"{"date":"\#(date)","location":"\#(location)","members":[\#(list)],"model":"gfs_seamless","#
            + #""run_hint":"2025-01-01T00Z","unit":"°F","variable":"temperature_2m"}"#
        return MarketEvent(
            kind: .forecast, symbol: harness.host.symbol(location), time: time ?? harness.host.now, payload: payload)
    }

    /// A market event as kalshi-markets emits it (prices in dollars).
    private func market(
        _ harness: PluginHarness, _ ticker: String, strike: String = #""strike_type":"between","floor_strike":42,"cap_strike":43"#,
        bid: Fixed, ask: Fixed, status: String = "active", close: String = "2025-01-03T04:59:00Z"
    ) -> MarketEvent {
        let payload = #"{"ticker":"\#(ticker)","event_ticker":"KXHIGHNY-25JAN02","status":"\#(status)","#
            + #""close_time":"\#(close)",\#(strike),"yes_bid":\#(bid),"yes_ask":\#(ask),"no_ask":\#(1 - bid)}"#
        return MarketEvent(
            kind: .market, symbol: harness.host.symbol(ticker), time: harness.host.now, price: bid, bid: bid, ask: ask,
            payload: payload)
    }

    private func blocks(_ harness: PluginHarness) -> [String] {
        harness.host.events(ofType: "trade_blocked").compactMap { $0.fields["reason"]?.description }
    }

    @Test func buysYesWhenTheEnsembleBeatsTheAsk() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        // Rounded: 42, 43, 43, 42, 44 → 4 of 5 members settle in 42–43.
        try harness.send([forecast(harness, members: [41.6, 42.7, 43.4, 42.0, 44.2])])
        try harness.send([market(harness, bin, bid: 0.22, ask: 0.25)])
        let order = try #require(harness.host.orders.first)
        #expect(harness.host.orders.count == 1)
        #expect(harness.host.name(of: order.symbol) == bin)
        #expect(order.side == .buy && order.outcome == .yes && order.type == .limit)
        #expect(order.limitPrice == 0.25 && order.quantity == 2)
        #expect(order.timeInForce == .immediateOrCancel)
        #expect(order.reason.hasPrefix("p 0.8 vs yes ask 0.25: edge 0.55"))
        #expect(blocks(harness).isEmpty)
    }

    @Test func buysNoWhenTheMarketOverpricesYes() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        try harness.send([market(harness, bin, bid: 0.6, ask: 0.63)])
        #expect(blocks(harness) == ["no_forecast"])
        try harness.send([forecast(harness, members: [38, 39, 40, 47, 42.2])])  // one of five in 42–43
        // The forecast arriving re-evaluates the market already seen.
        let order = try #require(harness.host.orders.first)
        #expect(order.outcome == .no && order.limitPrice == 0.4)
    }

    @Test func pricesLessAndGreaterStrikesOnWholeDegrees() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        try harness.send([forecast(harness, members: [39.4, 39.6, 40.2, 45.0])])
        // Rounded 39, 40, 40, 45: one of four below 40, one of four above 44.
        try harness.send([
            market(harness, "KXHIGHNY-25JAN02-T40", strike: #""strike_type":"less","cap_strike":40"#, bid: 0.02, ask: 0.05),
            market(harness, "KXHIGHNY-25JAN02-T44", strike: #""strike_type":"greater","floor_strike":44"#, bid: 0.5, ask: 0.55),
        ])
        let orders = harness.host.orders
        #expect(orders.count == 2)
        #expect(harness.host.name(of: orders[0].symbol) == "KXHIGHNY-25JAN02-T40")
        #expect(orders[0].outcome == .yes && orders[0].limitPrice == 0.05)  // edge 0.25 − 0.05
        #expect(harness.host.name(of: orders[1].symbol) == "KXHIGHNY-25JAN02-T44")
        #expect(orders[1].outcome == .no && orders[1].limitPrice == 0.5)  // edge 0.75 − 0.50
    }

    @Test func eachFilterIsATradeBlockedRowWithItsReason() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        let members: [Double] = [42, 42, 43, 43, 50]  // p = 0.8 for 42–43
        try harness.send([forecast(harness, members: members)])
        let upper = #""strike_type":"between","floor_strike":44,"cap_strike":45"#
        try harness.send([market(harness, "KXHIGHNY-25JAN02-B44.5", strike: upper, bid: 0.05, ask: 0.1)])
        try harness.send([market(harness, bin, bid: 0.5, ask: 0.75)])
        try harness.send([market(harness, "KXHIGHNY-25JAN02-B46.5", bid: 0.1, ask: 0.2, status: "closed")])
        try harness.send([market(harness, "KXHIGHNY-25JAN03-B42.5", bid: 0.1, ask: 0.12)])
        try harness.send([market(harness, "KXHIGHNY-25JAN02-X", strike: #""strike_type":"custom""#, bid: 0.1, ask: 0.12)])
        try harness.send([market(harness, "KXHIGHNY-NODATE-B1", bid: 0.1, ask: 0.12)])
        try harness.send([market(harness, "KXHIGHNY-25JAN02-B48.5", bid: 0.1, ask: 0.12, close: "2024-12-31T00:00:00Z")])
        #expect(
            blocks(harness) == [
                "edge_below_threshold", "spread_too_wide", "market_closed", "no_forecast", "unsupported_strike",
                "no_settlement_date", "market_closed",
            ])
        let row = try #require(harness.host.events(ofType: "trade_blocked").first)
        // p = 0 for 44–45: yes is worth nothing, and no at 0.95 leaves 0.05.
        #expect(row.message == "KXHIGHNY-25JAN02-B44.5: best edge 0.05 below 0.1")
        #expect(row.fields["ticker"] == "KXHIGHNY-25JAN02-B44.5")
        #expect(row.fields["location"] == "NYC" && row.fields["date"] == "2025-01-02")
        #expect(row.fields["probability"] == .double(0))
        #expect(harness.host.orders.isEmpty)

        harness.host.advance(by: .seconds(13 * 3600))
        try harness.send([market(harness, bin, bid: 0.2, ask: 0.22)])
        #expect(blocks(harness).last == "forecast_too_old")
        #expect(harness.host.events(ofType: "trade_blocked").last?.fields["run_hint"] == "2025-01-01T00Z")
    }

    @Test func anUnchangingSituationIsNotLoggedEveryCycle() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        for _ in 0..<5 {
            try harness.send([market(harness, bin, bid: 0.2, ask: 0.22)])
            harness.host.advance(by: .seconds(5 * 60))
        }
        #expect(blocks(harness) == ["no_forecast"])
        harness.host.advance(by: .seconds(40 * 60))  // an hour after the first row
        try harness.send([market(harness, bin, bid: 0.2, ask: 0.22)])
        #expect(blocks(harness) == ["no_forecast", "no_forecast"])
        // A different reason is logged at once, and so is the old one when it returns.
        try harness.send([forecast(harness, members: [42, 50, 50, 50])])  // p = 0.25: too little edge either way
        #expect(blocks(harness) == ["no_forecast", "no_forecast", "edge_below_threshold"])
        try harness.send([market(harness, bin, bid: 0.2, ask: 0.5)])
        #expect(blocks(harness).last == "spread_too_wide")
        try harness.send([market(harness, bin, bid: 0.2, ask: 0.22)])
        #expect(blocks(harness).count == 5 && blocks(harness).last == "edge_below_threshold")
        try harness.send([market(harness, "KXHIGHNY-25JAN05-B42.5", bid: 0.2, ask: 0.22)])
        #expect(blocks(harness).count == 6)  // another market keeps its own history
        #expect(harness.host.orders.isEmpty)
    }

    @Test func fillsCountTowardThePositionLimit() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        try harness.send([forecast(harness, members: [42, 42, 43, 43])])  // p = 1
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        let first = try #require(harness.host.orders.first)
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        #expect(harness.host.orders.count == 1)
        #expect(blocks(harness) == ["order_pending"])
        try harness.send(
            update: OrderUpdate(
                symbol: first.symbol, status: .filled, filled: 2, averagePrice: 0.32, clientOrderID: first.clientOrderID))
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        // Two held of three allowed: the next order takes only the one that is left.
        let second = try #require(harness.host.orders.last)
        #expect(harness.host.orders.count == 2 && second.quantity == 1)
        try harness.send(
            update: OrderUpdate(
                symbol: second.symbol, status: .canceled, filled: 1, clientOrderID: second.clientOrderID))
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        #expect(harness.host.orders.count == 2)
        #expect(blocks(harness).last == "position_limit")
        let info = try #require(harness.host.logs.last { $0.message.hasPrefix("order canceled") })
        #expect(info.fields["held"] == "3")
    }

    @Test func anOrderTheHostBlocksLeavesNothingOutstanding() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        harness.host.risk = { _ in "max_orders_per_minute reached" }
        try harness.send([forecast(harness, members: [42, 42, 43, 43])])
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        #expect(harness.host.orders.isEmpty && harness.host.blockedOrders.count == 1)
        #expect(harness.host.logs.contains { $0.level == .warning && $0.message.contains("max_orders_per_minute") })
        harness.host.risk = nil
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        #expect(harness.host.orders.count == 1)
    }

    @Test func ignoresUnmappedMarketsOtherVariablesAndOddPayloads() throws {
        let harness = try PluginHarness(WeatherEdgePlugin.self, config: config)
        let rain = MarketEvent(
            kind: .forecast, symbol: harness.host.symbol("NYC"), time: harness.host.now,
            payload: #"{"location":"NYC","date":"2025-01-02","variable":"precipitation","unit":"mm","members":[1,1,1,1]}"#)
        try harness.send([
            rain,
            market(harness, "KXHIGHCHI-25JAN02-B42.5", bid: 0.3, ask: 0.32),
            MarketEvent(kind: .market, symbol: harness.host.symbol(bin), time: harness.host.now, payload: "{not json"),
            MarketEvent(kind: .forecast, symbol: harness.host.symbol("NYC"), time: harness.host.now, payload: "[]"),
            .quote(harness.host.symbol(bin), bid: 0.3, ask: 0.32, at: harness.host.now),
        ])
        #expect(harness.host.orders.isEmpty)
        #expect(blocks(harness).isEmpty)
        try harness.send([market(harness, bin, bid: 0.3, ask: 0.32)])
        #expect(blocks(harness) == ["no_forecast"])  // the rain forecast does not price a temperature market
    }

    @Test func refusesAMappingWithoutSeriesOrPrefix() {
        let error = #expect(throws: HarnessError.self) {
            try PluginHarness(WeatherEdgePlugin.self, config: #"{"markets":[{"location":"NYC"}]}"#)
        }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == "markets: the mapping for NYC needs series or ticker_prefix")
    }
}
