import MeanReversion
import NightshiftKit
import NightshiftKitTesting
import Testing

@Suite struct MeanReversionTests {
    private let config = #"{"symbols":["AAPL"],"window":3,"threshold":0.01,"quantity":2,"max_position":2}"#

    /// Sends a quote with the given mid and a 0.02 spread.
    private func quote(_ harness: PluginHarness, _ mid: Double, symbol: String = "AAPL") throws {
        try harness.send(quote: symbol, bid: Fixed(mid - 0.01), ask: Fixed(mid + 0.01))
    }

    /// Reports the harness's last order as filled.
    private func fillLast(_ harness: PluginHarness) throws {
        let order = try #require(harness.host.orders.last)
        try harness.send(
            update: OrderUpdate(
                symbol: order.symbol, status: .filled, filled: order.quantity, averagePrice: 1,
                clientOrderID: order.clientOrderID))
    }

    @Test func buysBelowTheMeanAndSellsAboveOnceHolding() throws {
        let harness = try PluginHarness(MeanReversionPlugin.self, config: config)
        try quote(harness, 100)
        try quote(harness, 100)
        #expect(harness.host.orders.isEmpty)  // window not yet full
        try quote(harness, 100)
        #expect(harness.host.orders.isEmpty)  // at the mean
        try quote(harness, 101.5)
        #expect(harness.host.orders.isEmpty)  // above the mean but nothing to sell (no shorting)
        try quote(harness, 98)  // mean of 100, 101.5, 98 is 99.83; 98 < 98.83
        let buy = try #require(harness.host.orders.last)
        #expect(buy.side == .buy && buy.quantity == 2 && buy.type == .market)
        #expect(harness.host.name(of: buy.symbol) == "AAPL")
        #expect(buy.reason.hasPrefix("mid 98 below mean 99.8333333"))

        try quote(harness, 97)
        #expect(harness.host.orders.count == 1)  // one outstanding order per symbol
        try fillLast(harness)
        try quote(harness, 96)
        #expect(harness.host.orders.count == 1)  // at max_position

        try quote(harness, 110)
        let sell = try #require(harness.host.orders.last)
        #expect(harness.host.orders.count == 2)
        #expect(sell.side == .sell && sell.quantity == 2)
        try fillLast(harness)
        try quote(harness, 120)
        #expect(harness.host.orders.count == 2)  // flat again: nothing to sell
    }

    @Test func partialFillsMoveThePositionByTheirDelta() throws {
        let harness = try PluginHarness(MeanReversionPlugin.self, config: config)
        for mid in [100.0, 100, 100, 95] { try quote(harness, mid) }
        let buy = try #require(harness.host.orders.first)
        try harness.send(
            update: OrderUpdate(
                symbol: buy.symbol, status: .partiallyFilled, filled: 1, remaining: 1, clientOrderID: buy.clientOrderID))
        try harness.send(
            update: OrderUpdate(
                symbol: buy.symbol, status: .canceled, filled: 1, clientOrderID: buy.clientOrderID))
        // Holding 1 of a max of 2: the next dip buys the 1 that is left.
        try quote(harness, 80)
        #expect(harness.host.orders.count == 2)
        #expect(harness.host.orders.last?.quantity == 1)
        #expect(harness.host.orders.last?.side == .buy)
    }

    @Test func ignoresOtherSymbolsAndNonQuotes() throws {
        let harness = try PluginHarness(MeanReversionPlugin.self, config: config)
        for mid in [100.0, 100, 100, 50] { try quote(harness, mid, symbol: "MSFT") }
        try harness.send(trade: "AAPL", price: 1, size: 1)
        #expect(harness.host.orders.isEmpty)
    }

    @Test func logsEachDecisionAndSurvivesARiskBlock() throws {
        let harness = try PluginHarness(MeanReversionPlugin.self, config: config)
        harness.host.risk = { _ in "daily loss limit reached" }
        for mid in [100.0, 100, 100, 90] { try quote(harness, mid) }
        #expect(harness.host.orders.isEmpty)
        #expect(harness.host.events(ofType: "trade_blocked").count == 1)  // the host's own row
        let warning = try #require(harness.host.logs.first { $0.level == .warning && $0.eventType == nil })
        #expect(warning.message.contains("daily loss limit reached"))
        #expect(warning.fields["side"] == "buy")

        harness.host.risk = nil
        try quote(harness, 85)  // the blocked order left nothing outstanding, so the next dip tries again
        #expect(harness.host.orders.count == 1)
        let info = try #require(harness.host.logs.last { $0.level == .info })
        #expect(info.message.hasPrefix("order buy 2 AAPL"))
        #expect(info.fields["quantity"] == "2")
        #expect(info.fields["position"] == "0")
    }

    @Test func rejectsAnUnusableConfiguration() {
        let error = #expect(throws: HarnessError.self) {
            try PluginHarness(MeanReversionPlugin.self, config: #"{"quantity":5,"max_position":1}"#)
        }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == "max_position must be at least quantity")
    }
}
