import NightshiftKit
import NightshiftKitTesting
import QuoteMomentum
import Testing

@Suite struct QuoteMomentumTests {
    // Smoothing 2 / (3 + 1) = 0.5, so each EMA step is easy to follow by hand.
    private let config =
        #"{"symbols":["AAPL"],"window":3,"threshold_bps":10,"max_spread_bps":5,"quantity":2,"max_position":4}"#

    /// Sends a quote around `mid` with the given spread.
    private func quote(
        _ harness: PluginHarness, _ mid: String, spread: String = "0.02", symbol: String = "AAPL"
    ) throws {
        let mid = Fixed(mid)!
        let half = Fixed(spread)! / 2
        try harness.send(quote: symbol, bid: mid - half, ask: mid + half)
    }

    /// Reports the harness's last order as filled.
    private func fillLast(_ harness: PluginHarness) throws {
        let order = try #require(harness.host.orders.last)
        try harness.send(
            update: OrderUpdate(
                symbol: order.symbol, status: .filled, filled: order.quantity, averagePrice: 100,
                clientOrderID: order.clientOrderID))
    }

    private func blocked(_ harness: PluginHarness) -> [FakeHost.LogRecord] {
        harness.host.events(ofType: "trade_blocked")
    }

    @Test func buysAboveTheEMAUpToTheLimitThenFlattensBelowIt() throws {
        let harness = try PluginHarness(QuoteMomentumPlugin.self, config: config)
        for mid in ["100", "100", "100"] { try quote(harness, mid) }
        try quote(harness, "100.05")  // 5 bps above the EMA of 100: under the threshold
        #expect(harness.host.orders.isEmpty)

        try quote(harness, "100.2")  // 17.5 bps above the EMA of 100.025
        let first = try #require(harness.host.orders.first)
        #expect(first.side == .buy && first.quantity == 2 && first.type == .market && first.timeInForce == .day)
        #expect(harness.host.name(of: first.symbol) == "AAPL")
        #expect(first.reason == "mid 100.2 is 17.5 bps above EMA 100.025")

        try quote(harness, "100.4")  // still above, but the buy is open: nothing new, and not a block
        #expect(harness.host.orders.count == 1 && blocked(harness).isEmpty)
        try fillLast(harness)

        try quote(harness, "100.6")
        #expect(harness.host.orders.count == 2 && harness.host.orders[1].quantity == 2)
        try fillLast(harness)  // position 4: the limit

        try quote(harness, "100.8")
        #expect(harness.host.orders.count == 2)
        let block = try #require(blocked(harness).first)
        #expect(block.fields["reason"] == .string("max_position"))
        #expect(block.fields["symbol"] == .string("AAPL") && block.fields["side"] == .string("buy"))
        #expect(block.fields["position"] == .fixed(4) && block.fields["suppressed"] == .int(0))

        try quote(harness, "101")
        #expect(blocked(harness).count == 1)  // rate-limited
        harness.host.advance(by: .seconds(61))
        try quote(harness, "101.2")
        #expect(blocked(harness).count == 2)
        #expect(blocked(harness).last?.fields["suppressed"] == .int(1))

        try quote(harness, "100.5")  // below the EMA of 101.0035: sell everything
        let sell = try #require(harness.host.orders.last)
        #expect(harness.host.orders.count == 3)
        #expect(sell.side == .sell && sell.quantity == 4)

        try quote(harness, "101.5")  // a buy signal while the sell is open
        #expect(harness.host.orders.count == 3)
        #expect(blocked(harness).last?.fields["reason"] == .string("open_order"))
        try fillLast(harness)

        try quote(harness, "99")  // flat below the EMA: nothing to flatten
        #expect(harness.host.orders.count == 3)
        #expect(harness.host.violations.isEmpty)
    }

    @Test func aWideSpreadBlocksBuysButNotTheFlatten() throws {
        let harness = try PluginHarness(
            QuoteMomentumPlugin.self,
            config: #"{"window":1,"threshold_bps":10,"max_spread_bps":5,"quantity":1,"max_position":1}"#)
        try quote(harness, "100")
        try quote(harness, "100.5", spread: "0.2")  // 19.9 bps wide
        #expect(harness.host.orders.isEmpty)
        let block = try #require(blocked(harness).first)
        #expect(block.fields["reason"] == .string("spread_too_wide"))
        #expect(block.fields["spread_bps"] == .fixed(Fixed("19.9")!))

        try quote(harness, "101")
        #expect(harness.host.orders.count == 1)
        try fillLast(harness)
        try quote(harness, "99", spread: "1")  // 101 bps wide, yet the position goes
        #expect(harness.host.orders.last?.side == .sell)
    }

    @Test func limitOrdersTakeTheTouch() throws {
        let harness = try PluginHarness(
            QuoteMomentumPlugin.self,
            config: #"{"window":1,"threshold_bps":1,"max_spread_bps":50,"order_type":"limit","time_in_force":"ioc"}"#)
        try quote(harness, "50")
        try harness.send(quote: "MSFT", bid: 51, ask: Fixed("51.04")!)
        try harness.send(quote: "AAPL", bid: 51, ask: Fixed("51.04")!)
        #expect(harness.host.orders.count == 1)  // MSFT has no EMA yet
        let buy = try #require(harness.host.orders.first)
        #expect(buy.type == .limit && buy.limitPrice == Fixed("51.04")! && buy.timeInForce == .immediateOrCancel)
        try fillLast(harness)
        try harness.send(quote: "AAPL", bid: 49, ask: Fixed("49.02")!)
        let sell = try #require(harness.host.orders.last)
        #expect(sell.side == .sell && sell.limitPrice == 49)
    }

    @Test func partialFillsCountOnceAndTheOrderStaysOpenUntilDone() throws {
        let harness = try PluginHarness(QuoteMomentumPlugin.self, config: config)
        for mid in ["100", "100", "100", "100.5"] { try quote(harness, mid) }
        let buy = try #require(harness.host.orders.first)
        let partial = OrderUpdate(
            symbol: buy.symbol, status: .partiallyFilled, filled: 1, remaining: 1, clientOrderID: buy.clientOrderID)
        try harness.send(update: partial)
        try harness.send(update: partial)  // repeated report
        try quote(harness, "101")
        #expect(harness.host.orders.count == 1)  // still open
        try harness.send(
            update: OrderUpdate(symbol: buy.symbol, status: .canceled, filled: 1, clientOrderID: buy.clientOrderID))
        try quote(harness, "101.5")
        #expect(harness.host.orders.count == 2)
        #expect(harness.host.orders[1].quantity == 2)  // position 1 of 4: a full lot fits
        try harness.send(
            update: OrderUpdate(
                symbol: buy.symbol, status: .filled, filled: 2, clientOrderID: harness.host.orders[1].clientOrderID))
        try quote(harness, "90")
        #expect(harness.host.orders.last?.side == .sell && harness.host.orders.last?.quantity == 3)
    }

    @Test func ignoresOtherSymbolsAndCrossedQuotesAndSurvivesARiskBlock() throws {
        let harness = try PluginHarness(QuoteMomentumPlugin.self, config: config)
        harness.host.risk = { _ in "max_orders_per_minute reached" }
        for mid in ["10", "10", "10", "20"] { try quote(harness, mid, symbol: "MSFT") }
        for mid in ["100", "100", "100"] { try quote(harness, mid) }
        try harness.send(quote: "AAPL", bid: 105, ask: 104)  // crossed
        #expect(harness.host.blockedOrders.isEmpty)
        try quote(harness, "100.5")
        try quote(harness, "100.9")
        #expect(harness.host.orders.isEmpty)
        #expect(harness.host.blockedOrders.count == 2)  // refused orders are not left open
        #expect(harness.host.logs.contains { $0.level == .warning && $0.message.contains("not accepted") })
    }

    @Test func refusesAnUnusableConfiguration() throws {
        for config in [
            #"{"quantity":2,"max_position":1}"#, #"{"quantity":0}"#, #"{"window":0}"#, #"{"order_type":"stop"}"#,
            #"{"time_in_force":"opg"}"#,
        ] {
            let error = try #require(throws: HarnessError.self) {
                try PluginHarness(QuoteMomentumPlugin.self, config: config)
            }
            #expect(error.status == .invalidConfig, "\(config)")
        }
    }
}
