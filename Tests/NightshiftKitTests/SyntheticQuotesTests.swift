import NightshiftKit
import NightshiftKitTesting
import SyntheticQuotes
import Testing

@Suite struct SyntheticQuotesTests {
    @Test func emitsTheConfiguredNumberOfQuotesPerCycle() throws {
        let harness = try PluginHarness(
            SyntheticQuotesPlugin.self, config: #"{"symbols":["AAA","BBB"],"quotes_per_cycle":7,"seed":3}"#)
        let requests = try harness.runCycle()
        #expect(requests.isEmpty)
        #expect(harness.host.emitted.count == 7)
        harness.host.advance(by: .seconds(60))
        try harness.runCycle()
        #expect(harness.host.emitted.count == 14)

        let names = harness.host.emitted.prefix(4).map { harness.host.name(of: $0.symbol) }
        #expect(names == ["AAA", "BBB", "AAA", "BBB"])
        let second = harness.host.emitted[7]
        #expect(second.time == harness.host.now)
        #expect(harness.host.emitted[8].time == harness.host.now + .microseconds(1))
    }

    @Test func quotesKeepTheConfiguredSpreadAndStayPositive() throws {
        let harness = try PluginHarness(
            SyntheticQuotesPlugin.self,
            config: #"{"quotes_per_cycle":500,"start_price":1,"spread":0.02,"step":0.2,"seed":9}"#)
        try harness.runCycle()
        for quote in harness.host.emitted {
            #expect(quote.kind == .quote)
            #expect(quote.bid > .zero)
            #expect((quote.ask - quote.bid - Fixed(0.02)).magnitude <= Fixed(raw: 1))
            #expect(quote.bidSize >= 1 && quote.bidSize <= 100)
        }
    }

    @Test func theSameSeedGivesTheSameSeries() throws {
        func series(seed: Int) throws -> [MarketEvent] {
            let harness = try PluginHarness(
                SyntheticQuotesPlugin.self, config: #"{"quotes_per_cycle":20,"seed":\#(seed)}"#)
            try harness.runCycle()
            return harness.host.emitted
        }
        let first = try series(seed: 42)
        #expect(try series(seed: 42) == first)
        #expect(try series(seed: 43) != first)
        #expect(Set(first.map(\.bid)).count > 1)  // the walk moves
    }

    @Test func defaultsComeFromTheSchema() throws {
        let harness = try PluginHarness(SyntheticQuotesPlugin.self)
        try harness.runCycle()
        #expect(harness.host.emitted.count == 10)
        #expect(harness.host.emitted.allSatisfy { harness.host.name(of: $0.symbol) == "SYN" })
        let first = try #require(harness.host.emitted.first)
        #expect((first.mid - 100).magnitude < 1)
    }
}
