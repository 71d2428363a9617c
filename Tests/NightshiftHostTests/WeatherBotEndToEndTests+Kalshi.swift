import Foundation
import NightshiftTestSupport
import Testing

/// The Kalshi side of the weather bot end to end: orders that go unanswered, fill in parts, or never leave the host,
/// market polling that is rate-limited, and trades the strategy declines.
extension WeatherBotEndToEndTests {
    @Test func anOrderTimingOutAfterAcceptanceIsReconciledAndNeverSentTwice() throws {
        let bot = try WeatherBotFixture(.init(kalshiArguments: ["--timeout-after-accept", "1", "--stall", "10"]))
        defer { bot.stop() }
        let run = try bot.run(for: "7s")
        defer { run.kill() }
        #expect(run.wait(for: .seconds(60)) { !$0.of("order_reconciled").isEmpty }, "the order was never reconciled")
        let events = finishToTheEnd(run)

        let submitted = events.of("order_submitted", from: "edge")
        #expect(submitted.count == 1)
        let id = try #require(submitted.first?.string("client_order_id"))
        #expect(submitted.first?.string("symbol") == bot.ticker("T145"))
        // The POST timed out after the exchange took the order: its outcome is unknown, and a query settles it.
        let unknown = events.of("order_unknown")
        #expect(unknown.map { $0.string("client_order_id") } == [id])
        #expect(unknown.first?.string("reason")?.hasPrefix("no answer to the order") == true)
        let reconciled = events.of("order_reconciled")
        #expect(reconciled.map { $0.string("client_order_id") } == [id])
        #expect(reconciled.first?.string("status") == "filled")
        #expect(position(of: "order_unknown", in: events) < position(of: "order_reconciled", in: events))
        let fills = events.of("trade_executed")
        #expect(fills.map { $0.string("client_order_id") } == [id])
        #expect(fills.first?.string("status") == "filled" && fills.first?.double("filled_qty") == 2)
        // The order POST is made once: no retry of it, at the host or by the plugin.
        #expect(events.of("attempt_failed").allSatisfy { $0.string("label") != "kalshi order" })
        #expect(events.of("retry_exhausted", from: "kalshi").isEmpty, "nothing to exhaust: the POST is never retried")
        #expect(events.of("request_failed", from: "kalshi").count == 1)
        let stats = try bot.kalshi.stats()
        #expect(stats["stalled"] as? Int == 1)
        #expect(stats["orders"] as? Int == Set(submitted.compactMap { $0.string("client_order_id") }).count)
        #expect(stats["duplicate_submissions"] as? Int == 0, "no client_order_id reached the exchange twice")
    }

    @Test func partialFillsAreTrackedToTheFullFillOfTheSameOrder() throws {
        var setup = WeatherBotFixture.Setup(kalshiArguments: ["--partial", "--fill-interval", "0.5"])
        setup.timeInForce = "gtc"
        let bot = try WeatherBotFixture(setup)
        defer { bot.stop() }
        let run = try bot.run(for: "7s")
        defer { run.kill() }
        #expect(run.wait(for: .seconds(60)) { $0.of("trade_executed").contains { $0.string("status") == "filled" } })
        let events = finishToTheEnd(run)

        let id = try #require(events.of("order_submitted", from: "edge").first?.string("client_order_id"))
        #expect(events.of("order_submitted").count == 1)
        let fills = events.of("trade_executed")
        #expect(fills.allSatisfy { $0.string("client_order_id") == id })
        #expect(fills.map { $0.string("status") } == ["partially_filled", "filled"])
        #expect(fills.map { $0.double("qty") } == [1, 1])
        #expect(fills.map { $0.double("filled_qty") } == [1, 2])
        let stats = try bot.kalshi.stats()
        #expect(stats["orders"] as? Int == 1 && stats["duplicate_submissions"] as? Int == 0)
    }

    @Test func aRateLimitedMarketsPollIsRetriedAndTheBotTradesOn() throws {
        let bot = try WeatherBotFixture(.init(kalshiArguments: ["--rate-limit", "2"]))
        defer { bot.stop() }
        let run = try bot.run(for: "5s")
        defer { run.kill() }
        let events = finishToTheEnd(run)

        // Kalshi sends no Retry-After: the markets poll backs off by its own policy and then gets its listing.
        let failures = events.of("attempt_failed", from: "markets")
        #expect(failures.map { $0.int("attempt") } == [1, 2])
        #expect(failures.allSatisfy { $0.string("error") == "HTTP 429" && $0.string("label") == "kalshi markets" })
        let firstListing = try #require(events.firstIndex(where: isMarketListing), "no market listing arrived")
        #expect(position(of: "attempt_failed", from: "markets", in: events, last: true) < firstListing)
        #expect(untilShutdown(events).of("cycle_skipped", from: "markets").isEmpty, "\(retries(events, "markets"))")
        #expect(untilShutdown(events).of("retry_exhausted", from: "markets").isEmpty)
        #expect(try bot.kalshi.stats()["rate_limited"] as? Int == 2)
        #expect(events.of("trade_executed").map { $0.string("status") } == ["filled"])
    }

    @Test func theStrategyBlocksTradesWithoutEnoughEdgeOrWithTooWideASpread() throws {
        var setup = WeatherBotFixture.Setup()
        setup.tradedMarkets = ["T145", "T154"]
        let bot = try WeatherBotFixture(setup)
        defer { bot.stop() }
        // "Below 145 °F" is near certain, but at 96 ¢ it leaves 4 ¢ of edge (the no side is worth nothing);
        // "above 154 °F" is quoted 2 / 30 ¢, wider than the 8 ¢ the strategy accepts.
        let quotes = [("T145", #"{"yes_bid": 90, "yes_ask": 96}"#), ("T154", #"{"yes_bid": 2, "yes_ask": 30}"#)]
        for (market, body) in quotes {
            #expect(try bot.kalshi.request("POST", "/_sim/markets/\(bot.ticker(market))", json: body).status == 200)
        }
        let run = try bot.run(for: "4s")
        defer { run.kill() }
        let events = finishToTheEnd(run)

        let blocks = events.of("trade_blocked", from: "edge")
        let edgeBlocks = blocks.filter {
            $0.string("ticker") == bot.ticker("T145") && $0.string("reason") == "edge_below_threshold"
        }
        #expect(edgeBlocks.count == 1, "an unchanged reason is not repeated every cycle")
        #expect(edgeBlocks.allSatisfy { ($0.double("edge") ?? 1) < 0.1 && $0.string("outcome") == "yes" })
        let spreadBlocks = blocks.filter {
            $0.string("ticker") == bot.ticker("T154") && $0.string("reason") == "spread_too_wide"
        }
        #expect(spreadBlocks.count == 1)
        #expect(spreadBlocks.allSatisfy { ($0.double("spread") ?? 0) > 0.08 })
        #expect(events.of("order_submitted").isEmpty)
        #expect(try bot.kalshi.stats()["orders"] as? Int == 0)
    }

    @Test func aKillSwitchFileBlocksEveryOrderBeforeItReachesTheExchange() throws {
        let bot = try WeatherBotFixture(.init())
        defer { bot.stop() }
        try FileManager.default.createDirectory(atPath: bot.directory.path + "/data", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: bot.killSwitchPath, contents: Data()))
        let run = try bot.run(for: "8s")
        defer { run.kill() }
        let isKillSwitchBlock = { (event: HostEvent) in
            event.type == "trade_blocked" && event.string("reason")?.hasPrefix("kill switch") == true
        }
        let blocked = run.wait(for: .seconds(60)) { $0.filter(isKillSwitchBlock).count >= 2 }
        #expect(blocked, "the strategy's orders were not blocked by the kill switch")
        #expect(try bot.kalshi.stats()["orders"] as? Int == 0, "no order reaches the exchange while the file is there")
        // Removing the file lets the same signal through: the switch was the only thing in the way.
        try FileManager.default.removeItem(atPath: bot.killSwitchPath)
        let traded = run.wait(for: .seconds(60)) { !$0.of("trade_executed").isEmpty }
        #expect(traded, "no order went through after the switch was removed")
        let events = finishToTheEnd(run)

        let blocks = events.filter(isKillSwitchBlock)
        #expect(blocks.allSatisfy {
            $0.instance == "edge" && $0.string("symbol") == bot.ticker("T145")
                && $0.string("reason") == "kill switch \(bot.killSwitchPath) is present"
        })
        #expect((events.lastIndex(where: isKillSwitchBlock) ?? .max) < position(of: "order_submitted", in: events))
        #expect(events.of("order_submitted").count == 1)
        #expect(try bot.kalshi.stats()["orders"] as? Int == 1)
    }
}
