import Foundation
import KalshiMarkets
import NightshiftKit
import NightshiftKitTesting
import Testing

@Suite struct KalshiMarketsTests {
    private let base = "https://api.elections.kalshi.com/trade-api/v2"

    private func payload(_ event: MarketEvent) throws -> [String: Any] {
        let text = try #require(event.payload)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func event(_ harness: PluginHarness, _ ticker: String) throws -> MarketEvent {
        try #require(harness.host.emitted.first { harness.host.name(of: $0.symbol) == ticker })
    }

    @Test func listsASeriesFollowingTheCursor() throws {
        let harness = try PluginHarness(KalshiMarketsPlugin.self, config: #"{"series_tickers":["KXHIGHNY"]}"#)
        let first = "\(base)/markets?series_ticker=KXHIGHNY&status=open&limit=200"
        harness.host.script(first, responses: try Fixture.response("kalshi/markets-kxhighny-page1.json"))
        harness.host.script(
            first + "&cursor=CgsI2Lm6uwYQkKH7HRIQS1hISUdITlktMjVKQU4wMg",
            responses: try Fixture.response("kalshi/markets-kxhighny-page2.json"))
        let requests = try harness.runCycle()
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.method == "GET" && $0.headers.value(of: "KALSHI-ACCESS-SIGNATURE") == nil })
        #expect(harness.host.emitted.count == 6)
        #expect(harness.host.emitted.allSatisfy { $0.kind == .market && $0.time == harness.host.now })

        let bin = try event(harness, "KXHIGHNY-25JAN02-B42.5")
        #expect(bin.bid == 0.22 && bin.ask == 0.25 && bin.price == 0.24)
        #expect(bin.volume == 1523)
        let fields = try payload(bin)
        #expect(fields["ticker"] as? String == "KXHIGHNY-25JAN02-B42.5")
        #expect(fields["event_ticker"] as? String == "KXHIGHNY-25JAN02")
        #expect(fields["strike_type"] as? String == "between")
        #expect(fields["floor_strike"] as? Double == 42)
        #expect(fields["cap_strike"] as? Double == 43)
        #expect(fields["close_time"] as? String == "2025-01-03T04:59:00Z")
        #expect(fields["status"] as? String == "active")
        #expect(fields["no_ask"] as? Double == 0.78)
        #expect(fields["no_bid"] as? Double == 0.75)

        let less = try payload(try event(harness, "KXHIGHNY-25JAN02-T40"))
        #expect(less["strike_type"] as? String == "less" && less["cap_strike"] as? Double == 40)
        #expect(less["floor_strike"] == nil)
        let greater = try payload(try event(harness, "KXHIGHNY-25JAN02-T45"))
        #expect(greater["strike_type"] as? String == "greater" && greater["floor_strike"] as? Double == 45)
        let closed = try event(harness, "KXHIGHNY-25JAN01-B38.5")
        #expect(try payload(closed)["status"] as? String == "closed")
        #expect(closed.bid == .zero && closed.ask == .zero && closed.price == 0.99)
    }

    @Test func stopsFollowingAtMaxPages() throws {
        let harness = try PluginHarness(
            KalshiMarketsPlugin.self, config: #"{"series_tickers":["KXHIGHNY"],"max_pages":1,"status":""}"#)
        harness.host.script(
            "\(base)/markets?series_ticker=KXHIGHNY&limit=200",
            responses: try Fixture.response("kalshi/markets-kxhighny-page1.json"))
        #expect(try harness.runCycle().count == 1)
        #expect(harness.host.emitted.count == 3)
    }

    @Test func fetchesSingleMarketsReadingDollarFields() throws {
        let harness = try PluginHarness(
            KalshiMarketsPlugin.self,
            config: #"{"tickers":["KXHIGHCHI-25JAN02-B30.5","KXGONE-1"],"base_url":"http://127.0.0.1:8/trade-api/v2/"}"#)
        harness.host.script(
            "http://127.0.0.1:8/trade-api/v2/markets/KXHIGHCHI-25JAN02-B30.5",
            responses: try Fixture.response("kalshi/market-single-dollars.json"))
        harness.host.script(
            "http://127.0.0.1:8/trade-api/v2/markets/KXGONE-1",
            responses: HTTPResponse(status: 404, text: #"{"error":{"code":"not_found","message":"market not found"}}"#))
        try harness.runCycle()
        #expect(harness.host.emitted.count == 1)
        let market = try event(harness, "KXHIGHCHI-25JAN02-B30.5")
        #expect(market.bid == 0.18 && market.ask == 0.21 && market.price == 0.19)
        #expect(try payload(market)["no_ask"] as? Double == 0.82)
        // The missing market is a warning, not a failure of the cycle.
        let warning = try #require(harness.host.logs.first { $0.level == .warning })
        #expect(warning.message.contains("KXGONE-1"))
        #expect(warning.fields["reason"] == "not_found: market not found")
    }

    @Test func refusalsAreFatalAndDamageIsRetried() throws {
        let harness = try PluginHarness(KalshiMarketsPlugin.self, config: #"{"series_tickers":["KXHIGHNY"]}"#)
        try harness.beginCycle()
        _ = try harness.nextRequest()
        let unauthorized = #expect(throws: HarnessError.self) {
            try harness.deliver(
                HTTPResponse(status: 401, text: #"{"error":{"code":"unauthorized","message":"bad key"}}"#))
        }
        #expect(unauthorized?.status == .fatal)
        #expect(unauthorized?.message == "kalshi markets HTTP 401: unauthorized: bad key")
        for response in [
            HTTPResponse(status: 200, text: #"{"markets":[{"ticker":"A","yes_bid":"#),
            HTTPResponse(status: 200, text: "not json"),
            HTTPResponse(status: 200, text: #"{"cursor":""}"#),
            HTTPResponse(status: 502, text: "bad gateway"),
        ] {
            let error = #expect(throws: HarnessError.self) { try harness.deliver(response) }
            #expect(error?.status == .retry)
        }
        // A listing whose elements are partly malformed keeps the good ones; out-of-range prices read as absent.
        try harness.deliver(
            HTTPResponse(
                status: 200,
                text: #"{"markets":[{"no_ticker":1},{"ticker":"OK-1","yes_bid":"x","yes_ask":250,"last_price":7}],"cursor":""}"#))
        #expect(harness.host.emitted.count == 1)
        let market = try #require(harness.host.emitted.first)
        #expect(market.bid == .zero && market.ask == .zero && market.price == 0.07)
    }

    @Test func refusesAConfigurationWithNothingToFetch() {
        let error = #expect(throws: HarnessError.self) { try PluginHarness(KalshiMarketsPlugin.self, config: "{}") }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == "give series_tickers or tickers (or both)")
    }
}
