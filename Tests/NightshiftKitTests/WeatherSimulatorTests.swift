import Foundation
import KalshiBroker
import KalshiMarkets
import NightshiftKit
import NightshiftKitTesting
import NightshiftTestSupport
import OpenMeteoEnsemble
import Testing

/// The simulators under `scripts/sims/`, started for real on 127.0.0.1 and driven by the plugins through a loopback
/// transport standing in for the host's.
@Suite struct WeatherSimulatorTests {
    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    private func openMeteoConfig(_ sim: ScriptProcess) -> String {
        #"{"base_url":"\#(sim.origin)","forecast_days":2,"locations":[{"name":"NYC","latitude":40.7794,"longitude":-73.9692}]}"#
    }

    @Test func openMeteoSimServesTheDocumentedShape() throws {
        try withScript("sims/open_meteo_sim.py", arguments: ["--seed", "3", "--today", "2025-01-01"]) { sim in
            let url = "\(sim.origin)/v1/ensemble?latitude=40.78&longitude=-73.97&hourly=temperature_2m"
                + "&models=gfs_seamless&forecast_days=2&temperature_unit=fahrenheit&timezone=GMT"
            let response = LoopbackHTTP.perform(.get(url))
            #expect(response.status == 200)
            let body = try json(response)
            for key in ["latitude", "longitude", "generationtime_ms", "utc_offset_seconds", "timezone", "elevation"] {
                #expect(body[key] != nil, "missing \(key)")
            }
            let units = try #require(body["hourly_units"] as? [String: String])
            #expect(units["temperature_2m"] == "°F" && units["time"] == "iso8601")
            let hourly = try #require(body["hourly"] as? [String: Any])
            let times = try #require(hourly["time"] as? [String])
            #expect(times.count == 48 && times.first == "2025-01-01T00:00" && times.last == "2025-01-02T23:00")
            #expect(hourly.count == 32)  // time, the control run, member01…member30
            #expect((hourly["temperature_2m_member30"] as? [Double])?.count == 48)
            #expect(hourly["temperature_2m_member31"] == nil)
            // Deterministic by seed.
            #expect(LoopbackHTTP.perform(.get(url)).body == response.body)

            let refused = LoopbackHTTP.perform(.get("\(sim.origin)/v1/ensemble?latitude=91&longitude=0"))
            #expect(refused.status == 400)
            #expect(try json(refused)["error"] as? Bool == true)
            #expect((try json(refused)["reason"] as? String)?.hasPrefix("Latitude must be in range") == true)
        }
    }

    @Test func openMeteoSimFaultsReachThePluginAsTheyWould() throws {
        let faults = ["--fail-first", "1", "--rate-limit", "1", "--truncate", "--garbage", "--today", "2025-01-01"]
        try withScript("sims/open_meteo_sim.py", arguments: faults) { sim in
            let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: openMeteoConfig(sim))
            try harness.beginCycle()
            let request = try #require(try harness.nextRequest())
            #expect(request.url.hasPrefix("\(sim.origin)/v1/ensemble?latitude=40.7794&longitude=-73.9692&"))
            // The host retries these four; the plugin sees what a retry would hand it.
            let unavailable = LoopbackHTTP.perform(request)
            #expect(unavailable.status == 503)
            let limited = LoopbackHTTP.perform(request)
            #expect(limited.status == 429 && limited.headers.value(of: "retry-after") == "1")
            for _ in 0..<2 {  // truncated, then garbage
                let damaged = LoopbackHTTP.perform(request)
                #expect(damaged.status == 200)
                let error = #expect(throws: HarnessError.self) { try harness.deliver(damaged) }
                #expect(error?.status == .retry)
            }
            try harness.deliver(LoopbackHTTP.perform(request))
            #expect(harness.host.emitted.count == 2)
            let stats = try sim.stats()
            #expect(stats["ensemble_requests"] as? Int == 5 && stats["served"] as? Int == 1)
        }
        try withScript("sims/open_meteo_sim.py", arguments: ["--error-400"]) { sim in
            let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: openMeteoConfig(sim))
            harness.host.httpFallback = { .response(LoopbackHTTP.perform($0)) }
            let error = #expect(throws: HarnessError.self) { try harness.runCycle() }
            #expect(error?.status == .fatal)
            #expect(error?.message == "NYC: open-meteo HTTP 400: Simulated failure: the request was refused")
        }
    }

    @Test func kalshiSimListsMarketsAndTakesSignedOrders() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let arguments = ["--public-key", keys.publicKeyPath, "--key-id", "sim-key", "--date", "2025-01-02", "--rate-limit", "1"]
        try withScript("sims/kalshi_sim.py", arguments: arguments) { sim in
            let base = "\(sim.origin)/trade-api/v2"
            let limited = LoopbackHTTP.perform(.get("\(base)/markets?series_ticker=KXHIGHNY"))
            #expect(limited.status == 429 && limited.headers.value(of: "retry-after") == nil)

            let markets = try PluginHarness(
                KalshiMarketsPlugin.self, config: #"{"base_url":"\#(base)","series_tickers":["KXHIGHNY"],"page_limit":3}"#)
            markets.host.httpFallback = { .response(LoopbackHTTP.perform($0)) }
            #expect(try markets.runCycle().count == 3)  // 7 markets, 3 per page
            #expect(markets.host.emitted.count == 7)
            let bin = try #require(markets.host.emitted.first { markets.host.name(of: $0.symbol) == "KXHIGHNY-25JAN02-B44.5" })
            #expect(bin.ask > bin.bid && bin.bid > .zero)
            let payload = try #require(bin.payload)
            #expect(payload.contains(#""strike_type":"between""#) && payload.contains(#""floor_strike":44"#))

            let broker = try PluginHarness(
                KalshiBrokerPlugin.self,
                config: #"{"base_url":"\#(base)","key_id":"sim-key","private_key":"\#(keys.privateKeyPath)"}"#)
            broker.host.httpFallback = { .response(LoopbackHTTP.perform($0)) }
            let order = Order(
                symbol: broker.host.symbol("KXHIGHNY-25JAN02-B44.5"), side: .buy, type: .limit, outcome: .yes,
                quantity: 2, limitPrice: bin.ask, clientOrderID: "sim-run-1")
            let filled = try broker.submit(order)
            #expect(filled.status == .filled && filled.filled == 2 && filled.averagePrice == bin.ask)
            #expect(try broker.query(clientOrderID: "sim-run-1") == filled)

            let unsigned = LoopbackHTTP.perform(.get("\(base)/portfolio/orders"))
            #expect(unsigned.status == 401)
            let stats = try sim.stats()
            #expect(stats["orders"] as? Int == 1 && stats["auth_failures"] as? Int == 1)
            #expect(stats["duplicate_submissions"] as? Int == 0)
        }
    }

    @Test func kalshiSimTimeoutAfterAcceptIsReconciledWithoutResubmitting() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let arguments = [
            "--public-key", keys.publicKeyPath, "--date", "2025-01-02", "--timeout-after-accept", "--stall", "5",
        ]
        try withScript("sims/kalshi_sim.py", arguments: arguments) { sim in
            let broker = try PluginHarness(
                KalshiBrokerPlugin.self,
                config: #"{"base_url":"\#(sim.origin)/trade-api/v2","key_id":"k","#
                    + #""private_key":"\#(keys.privateKeyPath)","timeout_seconds":1}"#)
            broker.host.httpFallback = { .response(LoopbackHTTP.perform($0)) }
            let order = Order(
                symbol: broker.host.symbol("KXHIGHNY-25JAN02-T40"), side: .buy, type: .limit, outcome: .no,
                quantity: 1, limitPrice: 0.99, clientOrderID: "stalled-1")
            let submitted = try broker.submit(order)
            #expect(submitted.status == .unknown)
            #expect(submitted.reason?.contains("timeout") == true)
            let reconciled = try broker.query(clientOrderID: "stalled-1")
            #expect(reconciled.status == .filled && reconciled.filled == 1)
            #expect(reconciled.venueOrderID == "sim-000001")
            let stats = try sim.stats()
            #expect(stats["orders"] as? Int == 1 && stats["stalled"] as? Int == 1)
            #expect(stats["duplicate_submissions"] as? Int == 0)
            #expect(broker.host.httpRequests.filter { $0.method == "POST" }.count == 1)
        }
    }

    @Test func kalshiSimFillsPartiallyOverTimeAndDeduplicatesClientOrderIDs() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let arguments = ["--public-key", keys.publicKeyPath, "--date", "2025-01-02", "--partial", "--fill-interval", "0.1"]
        try withScript("sims/kalshi_sim.py", arguments: arguments) { sim in
            let broker = try PluginHarness(
                KalshiBrokerPlugin.self,
                config: #"{"base_url":"\#(sim.origin)/trade-api/v2","key_id":"k","private_key":"\#(keys.privateKeyPath)"}"#)
            broker.host.httpFallback = { .response(LoopbackHTTP.perform($0)) }
            let order = Order(
                symbol: broker.host.symbol("KXHIGHNY-25JAN02-B44.5"), side: .buy, type: .limit, outcome: .yes,
                quantity: 4, limitPrice: 0.99, clientOrderID: "partial-1")
            let first = try broker.submit(order)
            #expect(first.status == .partiallyFilled && first.filled == 2 && first.remaining == 2)
            var latest = first
            let deadline = ContinuousClock.now + .seconds(20)  // guards a hang only
            while latest.status != .filled && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                latest = try broker.query(clientOrderID: "partial-1")
                #expect(latest.filled >= first.filled)
            }
            #expect(latest.status == .filled && latest.filled == 4 && latest.remaining == .zero)

            // The same client order id again: the venue answers with the existing order and counts the duplicate.
            let again = try broker.submit(order)
            #expect(again.venueOrderID == first.venueOrderID && again.status == .filled)
            let stats = try sim.stats()
            #expect(stats["orders"] as? Int == 1 && stats["duplicate_submissions"] as? Int == 1)
        }
    }
}
