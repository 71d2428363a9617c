import NightshiftKit
import NightshiftKitTesting
import PaperBroker
import Testing

@Suite struct PaperBrokerTests {
    private func order(
        _ harness: PluginHarness, _ side: Order.Side, _ quantity: Fixed, limit: Fixed? = nil,
        timeInForce: Order.TimeInForce = .day, symbol: String = "AAPL"
    ) -> Order {
        Order(
            symbol: harness.host.symbol(symbol), side: side, type: limit == nil ? .market : .limit,
            timeInForce: timeInForce, quantity: quantity, limitPrice: limit)
    }

    @Test func rejectsASymbolWithoutAQuote() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self)
        let update = try harness.submit(order(harness, .buy, 1))
        #expect(update.status == .rejected)
        #expect(update.reason == "no quote for this symbol yet")
        #expect(update.remaining == .zero)
        #expect(try harness.query(clientOrderID: update.clientOrderID).status == .rejected)
        #expect(harness.host.logs.last?.level == .warning)
    }

    @Test func marketOrdersFillAtTheTouch() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self)
        try harness.send(quote: "AAPL", bid: 99.5, ask: 100.25)
        let buy = try harness.submit(order(harness, .buy, 3))
        #expect(buy.status == .filled)
        #expect(buy.filled == 3 && buy.remaining == .zero)
        #expect(buy.averagePrice == 100.25)
        #expect(buy.venueOrderID == "paper-1")
        let sell = try harness.submit(order(harness, .sell, 1))
        #expect(sell.averagePrice == 99.5)
        #expect(sell.venueOrderID == "paper-2")
        #expect(harness.host.reportedUpdates.isEmpty)  // filled synchronously: nothing to report later
    }

    @Test func limitOrdersRestUntilMarketable() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self)
        try harness.send(quote: "AAPL", bid: 99, ask: 101)
        let resting = try harness.submit(order(harness, .buy, 2, limit: 100))
        #expect(resting.status == .new)
        #expect(resting.remaining == 2)
        try harness.send(quote: "AAPL", bid: 99.5, ask: 100.5)
        #expect(harness.host.reportedUpdates.isEmpty)
        try harness.send(quote: "MSFT", bid: 1, ask: 2)
        #expect(harness.host.reportedUpdates.isEmpty)
        try harness.send(quote: "AAPL", bid: 99, ask: 99.75)
        let fill = try #require(harness.host.reportedUpdates.first)
        #expect(fill.status == .filled && fill.filled == 2 && fill.averagePrice == 99.75)
        #expect(fill.clientOrderID == resting.clientOrderID)
        #expect(try harness.query(clientOrderID: resting.clientOrderID) == fill)
    }

    @Test func partialFillsCompleteOnTheNextQuote() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self, config: #"{"partial_fill_ratio":0.5}"#)
        try harness.send(quote: "AAPL", bid: 9, ask: 10)
        let first = try harness.submit(order(harness, .buy, 5))
        #expect(first.status == .partiallyFilled)
        #expect(first.filled == 2.5 && first.remaining == 2.5)
        #expect(first.averagePrice == 10)
        #expect(try harness.query(clientOrderID: first.clientOrderID).status == .partiallyFilled)

        try harness.send(quote: "AAPL", bid: 11, ask: 12)
        let rest = try #require(harness.host.reportedUpdates.last)
        #expect(harness.host.reportedUpdates.count == 1)
        #expect(rest.status == .filled)
        #expect(rest.filled == 5 && rest.remaining == .zero)
        #expect(rest.averagePrice == 11)  // (2.5 × 10 + 2.5 × 12) / 5
        #expect(try harness.query(clientOrderID: first.clientOrderID) == rest)
        try harness.send(quote: "AAPL", bid: 11, ask: 12)
        #expect(harness.host.reportedUpdates.count == 1)  // nothing left open
    }

    @Test func immediateOrdersCancelWhatDoesNotFill() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self, config: #"{"partial_fill_ratio":0.5}"#)
        try harness.send(quote: "AAPL", bid: 9, ask: 10)
        let ioc = try harness.submit(order(harness, .buy, 4, timeInForce: .immediateOrCancel))
        #expect(ioc.status == .canceled && ioc.filled == 2 && ioc.remaining == .zero)
        let fok = try harness.submit(order(harness, .buy, 4, timeInForce: .fillOrKill))
        #expect(fok.status == .filled && fok.filled == 4)
        let away = try harness.submit(order(harness, .sell, 1, limit: 50, timeInForce: .fillOrKill))
        #expect(away.status == .canceled && away.filled == .zero)
    }

    @Test func resubmittingAClientOrderIDDoesNotTradeTwice() throws {
        let harness = try PluginHarness(PaperBrokerPlugin.self)
        try harness.send(quote: "AAPL", bid: 9, ask: 10)
        var order = order(harness, .buy, 1)
        order.clientOrderID = "run-7"
        let first = try harness.submit(order)
        let again = try harness.submit(order)
        #expect(first == again)
        #expect(again.venueOrderID == "paper-1")
        let unknown = try harness.query(clientOrderID: "never-sent")
        #expect(unknown.status == .rejected && unknown.reason == "unknown client order id")
    }

    @Test func rejectsAnInvalidRatio() {
        let error = #expect(throws: HarnessError.self) {
            try PluginHarness(PaperBrokerPlugin.self, config: #"{"partial_fill_ratio":1.5}"#)
        }
        #expect(error?.status == .invalidConfig)
    }
}
