import Foundation
import NightshiftTestSupport
import Testing

/// The weather bot end to end: `nightshift run` on the bot's deployment against the Open-Meteo and Kalshi
/// simulators, one fault kind per test. Each run ends by itself at `--for` with exit 0, and its event lines tell
/// what happened: retries, recoveries, skipped cycles, unknown orders reconciled, fills, and blocked trades.
///
/// The Kalshi side of the story is in `WeatherBotEndToEndTests+Kalshi.swift`.
@Suite struct WeatherBotEndToEndTests {
    // MARK: - Open-Meteo faults

    @Test func openMeteoServerErrorsAreRetriedUntilTheForecastArrives() throws {
        let bot = try WeatherBotFixture(.init(openMeteoArguments: ["--fail-first", "3"]))
        defer { bot.stop() }
        let events = try runToTheEnd(bot, for: "5s")

        let failures = events.of("attempt_failed", from: "forecasts")
        #expect(failures.map { $0.int("attempt") } == [1, 2, 3])
        #expect(failures.allSatisfy { $0.string("error") == "HTTP 503" && $0.string("label") == "ensemble NYC" })
        let firstForecast = try #require(events.firstIndex(where: isForecast), "no forecast was emitted")
        #expect(position(of: "attempt_failed", from: "forecasts", in: events, last: true) < firstForecast)
        #expect(untilShutdown(events).of("retry_exhausted", from: "forecasts").isEmpty)
        #expect(untilShutdown(events).of("cycle_skipped", from: "forecasts").isEmpty, "\(retries(events, "forecasts"))")
        let faults = try #require(try bot.openMeteo.stats()["faults"] as? [String: Any])
        #expect(faults["503"] as? Int == 3)
    }

    @Test func openMeteoRateLimitWaitsTheRetryAfterItAsks() throws {
        let bot = try WeatherBotFixture(.init(openMeteoArguments: ["--rate-limit", "1", "--retry-after", "1"]))
        defer { bot.stop() }
        let events = try runToTheEnd(bot, for: "6s")

        // The server's Retry-After (1 s) wins over the policy's 50–200 ms backoff.
        let failures = events.of("attempt_failed", from: "forecasts")
        #expect(failures.map { $0.int("delay_ms") } == [1000])
        #expect(failures.first?.string("error") == "HTTP 429")
        let firstForecast = try #require(events.firstIndex(where: isForecast), "no forecast was emitted")
        #expect(position(of: "attempt_failed", from: "forecasts", in: events) < firstForecast)
        #expect(untilShutdown(events).of("cycle_skipped", from: "forecasts").isEmpty, "\(retries(events, "forecasts"))")
    }

    @Test func openMeteoDamagedBodiesAreRetriedByThePluginUntilOneIsWhole() throws {
        let bot = try WeatherBotFixture(.init(openMeteoArguments: ["--truncate", "1", "--garbage", "1"]))
        defer { bot.stop() }
        let events = try runToTheEnd(bot, for: "5s")

        // A 200 whose body is cut or HTML reaches the plugin, which answers NS_RETRY: the host asks again.
        let failures = events.of("attempt_failed", from: "forecasts")
        #expect(failures.map { $0.int("attempt") } == [1, 2])
        #expect(failures.allSatisfy {
            $0.string("error")?.hasPrefix("plugin asked to retry: NYC: response body is not a JSON object") == true
        })
        let firstForecast = try #require(events.firstIndex(where: isForecast), "no forecast was emitted")
        #expect(position(of: "attempt_failed", from: "forecasts", in: events, last: true) < firstForecast)
        #expect(untilShutdown(events).of("cycle_skipped", from: "forecasts").isEmpty, "\(retries(events, "forecasts"))")
        let faults = try #require(try bot.openMeteo.stats()["faults"] as? [String: Any])
        #expect(faults["truncated"] as? Int == 1 && faults["garbage"] as? Int == 1)
    }

    @Test func openMeteoGarbageThatNeverEndsSkipsCyclesAndTheBotGoesOn() throws {
        var setup = WeatherBotFixture.Setup(openMeteoArguments: ["--garbage", "1000"])
        setup.forecastsRetry = "{max_attempts: 2, base_delay: 50ms, max_delay: 50ms, deadline: 20s}"
        let bot = try WeatherBotFixture(setup)
        defer { bot.stop() }
        let events = try runToTheEnd(bot, for: "4s")

        #expect(events.filter(isForecast).isEmpty)
        #expect(events.of("attempt_failed", from: "forecasts").allSatisfy {
            $0.string("error")?.hasPrefix("plugin asked to retry: NYC:") == true
        })
        let skipped = events.of("cycle_skipped", from: "forecasts")
        #expect(skipped.count >= 2, "each exhausted cycle is skipped and the next one still runs")
        #expect(skipped.allSatisfy { $0.string("reason") == "retries_exhausted" })
        #expect(events.of("retry_exhausted", from: "forecasts").count >= skipped.count - 1)
        // Without a forecast the strategy says so rather than trading.
        #expect(events.of("trade_blocked", from: "edge").contains { $0.string("reason") == "no_forecast" })
        #expect(events.of("order_submitted").isEmpty)
    }

    @Test func openMeteoSlowerThanTheAttemptTimeoutFailsWithATimeout() throws {
        var setup = WeatherBotFixture.Setup(openMeteoArguments: ["--slow", "3"])
        setup.forecastsRetry =
            "{max_attempts: 2, base_delay: 50ms, max_delay: 50ms, attempt_timeout: 500ms, deadline: 20s}"
        let bot = try WeatherBotFixture(setup)
        defer { bot.stop() }
        let events = try runToTheEnd(bot, for: "5s")

        let failures = events.of("attempt_failed", from: "forecasts")
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { $0.string("error") == "timed out" && $0.int("attempt") == 1 })
        let exhausted = events.of("retry_exhausted", from: "forecasts")
        #expect(!exhausted.isEmpty)
        #expect(exhausted.allSatisfy { $0.string("error") == "timed out" })
        #expect(!events.of("cycle_skipped", from: "forecasts").isEmpty)
        #expect(events.filter(isForecast).isEmpty)
        // The markets side is not held up by the slow forecasts.
        #expect(events.filter(isMarketListing).count >= 2)
    }

    // MARK: - Helpers

    /// Runs the bot for `duration` and checks it ran to the end: exit 0 after `--for`, stopped cleanly, with no
    /// plugin failed or escalated on the way. Returns its events.
    func runToTheEnd(
        _ bot: WeatherBotFixture, for duration: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [HostEvent] {
        let run = try bot.run(for: duration)
        return finishToTheEnd(run, sourceLocation: sourceLocation)
    }

    /// Waits for `run` to end by itself and checks that it ran to the end.
    func finishToTheEnd(_ run: HostRun, sourceLocation: SourceLocation = #_sourceLocation) -> [HostEvent] {
        let result = run.finish()
        let events = result.events
        #expect(result.status == 0, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(events.of("plugin_started").count == 4, sourceLocation: sourceLocation)
        #expect(events.of("run_limit_reached").count == 1, "ended by --for", sourceLocation: sourceLocation)
        let stopped = events.of("host_stopped").first
        #expect(stopped?.fields["clean"] as? Bool == true, sourceLocation: sourceLocation)
        for type in ["plugin_failed", "plugin_restarted", "plugin_escalated", "host_escalated", "plugin_stalled"] {
            let found = events.of(type)
            #expect(found.isEmpty, "\(type): \(found.map(\.message))", sourceLocation: sourceLocation)
        }
        return events
    }

    /// The forecasts instance's line for a parsed response (it emitted that location's forecast events).
    func isForecast(_ event: HostEvent) -> Bool {
        event.type == "log" && event.instance == "forecasts" && event.message.hasPrefix("forecast for NYC:")
            && (event.int("events") ?? 0) > 0
    }

    /// The index of the first (or last) event of `type`, `Int.max` when there is none.
    func position(of type: String, from instance: String? = nil, in events: [HostEvent], last: Bool = false) -> Int {
        let matches = { (event: HostEvent) in event.type == type && (instance == nil || event.instance == instance) }
        return (last ? events.lastIndex(where: matches) : events.firstIndex(where: matches)) ?? .max
    }

    /// The events printed before `--for` ran out and the host began to stop.
    ///
    /// A poll cycle still running when the host stops ends early and is reported as skipped whatever its requests
    /// did; the fault stories are about the cycles that ran.
    func untilShutdown(_ events: [HostEvent]) -> [HostEvent] {
        Array(events.prefix { $0.type != "run_limit_reached" })
    }

    /// The retry events of `instance`, as text for a failed expectation's message.
    func retries(_ events: [HostEvent], _ instance: String) -> String {
        events.filter { ["attempt_failed", "retry_exhausted"].contains($0.type) && $0.instance == instance }
            .map { "\($0.type): \($0.message)" }.joined(separator: "\n")
    }

    /// The markets instance's line for a listing it turned into market events.
    func isMarketListing(_ event: HostEvent) -> Bool {
        event.type == "log" && event.instance == "markets" && (event.int("markets") ?? 0) > 0
    }
}
