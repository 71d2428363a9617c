import Foundation
import NightshiftKit
import NightshiftKitTesting
import OpenMeteoEnsemble
import Testing

@Suite struct OpenMeteoEnsembleTests {
    private static let nyc =
        #"{"name":"NYC","latitude":40.7794,"longitude":-73.9692,"timezone":"America/New_York"}"#

    private func config(_ extra: String = "", locations: String = nyc) -> String {
        #"{"locations":[\#(locations)],"forecast_days":3,"temperature_unit":"fahrenheit"\#(extra)}"#
    }

    private let nycURL =
        "https://ensemble-api.open-meteo.com/v1/ensemble?latitude=40.7794&longitude=-73.9692&hourly=temperature_2m"
        + "&models=gfs_seamless&forecast_days=3&temperature_unit=fahrenheit&timezone=America%2FNew_York"

    /// The payload of an emitted forecast event as a dictionary.
    private func payload(_ event: MarketEvent) throws -> [String: Any] {
        let text = try #require(event.payload)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func describesOneDocumentedRequestPerLocation() throws {
        let chicago = #"{"name":"CHI","latitude":41.786,"longitude":-87.752}"#
        let harness = try PluginHarness(
            OpenMeteoEnsemblePlugin.self,
            config: config(#","models":"ncep_gefs_seamless","base_url":"http://127.0.0.1:9/""#, locations: Self.nyc + "," + chicago))
        try harness.beginCycle()
        let first = try #require(try harness.nextRequest())
        #expect(
            first.url == "http://127.0.0.1:9/v1/ensemble?latitude=40.7794&longitude=-73.9692&hourly=temperature_2m"
                + "&models=ncep_gefs_seamless&forecast_days=3&temperature_unit=fahrenheit&timezone=America%2FNew_York")
        #expect(first.method == "GET")
        #expect(first.idempotencyKey == nil)
        #expect(first.timeout == .seconds(30))
        try harness.deliver(try Fixture.response("open-meteo/ensemble-small.json"))
        let second = try #require(try harness.nextRequest())
        #expect(second.url.contains("latitude=41.786&longitude=-87.752"))
        #expect(second.url.hasSuffix("&timezone=auto"))
        try harness.deliver(try Fixture.response("open-meteo/ensemble-small.json"))
        #expect(try harness.nextRequest() == nil)
    }

    @Test func emitsTheDailyHighOfEveryMemberPerLocalDay() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config(#","min_hours_per_day":2"#))
        harness.host.script(nycURL, responses: try Fixture.response("open-meteo/ensemble-small.json"))
        try harness.runCycle()
        // The third day has one step per member: too few hours, so it is not passed off as a whole day.
        #expect(harness.host.emitted.count == 2)
        let first = try #require(harness.host.emitted.first)
        #expect(first.kind == .forecast)
        #expect(harness.host.name(of: first.symbol) == "NYC")
        #expect(first.time == harness.host.now)
        let day1 = try payload(first)
        #expect(day1["location"] as? String == "NYC")
        #expect(day1["date"] as? String == "2025-01-01")
        #expect(day1["variable"] as? String == "temperature_2m")
        #expect(day1["unit"] as? String == "°F")
        #expect(day1["model"] as? String == "gfs_seamless")
        // 2025-01-01T00:00Z less the 5 h publication lag falls in the 18 UTC run of the day before.
        #expect(day1["run_hint"] as? String == "2024-12-31T18Z")
        #expect(day1["members"] as? [Double] == [41.5, 44.8, 43.4])  // control, member01, member02
        let day2 = try payload(harness.host.emitted[1])
        #expect(day2["date"] as? String == "2025-01-02")
        #expect(day2["members"] as? [Double] == [36.9, 37.0, 33.3])  // member02's null hour is skipped
    }

    @Test func dropsADayOnWhichAMemberHasTooFewHours() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config(#","min_hours_per_day":3"#))
        harness.host.script(nycURL, responses: try Fixture.response("open-meteo/ensemble-small.json"))
        try harness.runCycle()
        #expect(harness.host.emitted.count == 1)
        #expect(try payload(harness.host.emitted[0])["date"] as? String == "2025-01-01")
    }

    @Test func readsAllThirtyOneMembersOfARecordedGFSResponse() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config())
        harness.host.script(nycURL, responses: try Fixture.response("open-meteo/ensemble-gfs-31-members.json"))
        try harness.runCycle()
        #expect(harness.host.emitted.count == 3)
        let recorded = try #require(
            try Fixture.object("open-meteo/ensemble-gfs-31-members.json")["hourly"] as? [String: Any])
        for (day, event) in harness.host.emitted.enumerated() {
            let fields = try payload(event)
            let members = try #require(fields["members"] as? [Double])
            #expect(members.count == 31)
            #expect(fields["date"] as? String == "2025-01-0\(day + 1)")
            // Member 30's high straight from the recording: hours 24·day ..< 24·(day+1).
            let series = try #require(recorded["temperature_2m_member30"] as? [Double])
            #expect(members[30] == series[(24 * day)..<(24 * (day + 1))].max())
            let control = try #require(recorded["temperature_2m"] as? [Double])
            #expect(members[0] == control[(24 * day)..<(24 * (day + 1))].max())
        }
    }

    @Test func anErrorAnswerIsFatalWithTheAPIsReason() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config())
        try harness.beginCycle()
        _ = try harness.nextRequest()
        let error = #expect(throws: HarnessError.self) {
            try harness.deliver(try Fixture.response("open-meteo/error-400.json", status: 400))
        }
        #expect(error?.status == .fatal)
        #expect(error?.message.contains("invalid String value temperature_3m") == true)
        #expect(error?.message.hasPrefix("NYC: ") == true)
        #expect(harness.host.emitted.isEmpty)
    }

    @Test func aTruncatedOrGarbledBodyAsksTheHostToRetry() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config())
        try harness.beginCycle()
        _ = try harness.nextRequest()
        let recorded = try Fixture.bytes("open-meteo/ensemble-gfs-31-members.json")
        let damaged: [HTTPResponse] = [
            HTTPResponse(status: 200, body: Array(recorded.prefix(recorded.count / 2))),
            HTTPResponse(status: 200, text: "<html><body><h1>502 Bad Gateway</h1></body></html>"),
            HTTPResponse(status: 200, text: #"{"hourly":{"time":["2025-01-01T00:00"],"temperature_2m":[1,2]}}"#),
            HTTPResponse(status: 200, text: #"{"hourly":{"time":["2025-01-01T00:00"],"temperature_2m":["warm"]}}"#),
            HTTPResponse(status: 200, text: #"{"latitude":40.75}"#),
            HTTPResponse(status: 503, text: #"{"error":true,"reason":"busy"}"#),
        ]
        for response in damaged {
            let error = #expect(throws: HarnessError.self) { try harness.deliver(response) }
            #expect(error?.status == .retry)
        }
        #expect(harness.host.emitted.isEmpty)
        try harness.deliver(HTTPResponse(status: 200, body: recorded))  // the retried request succeeds
        #expect(harness.host.emitted.count == 3)
    }

    @Test func survivesArbitraryBytes() throws {
        let harness = try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config())
        try harness.beginCycle()
        _ = try harness.nextRequest()
        let recorded = try Fixture.bytes("open-meteo/ensemble-small.json")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var outcomes: [PluginStatus: Int] = [:]
        for round in 0..<300 {
            var body = recorded
            // Flip a handful of bytes of a valid answer, or cut it, or replace it outright.
            switch round % 3 {
            case 0: for _ in 0..<4 { body[Int(next() % UInt64(body.count))] = UInt8(next() % 256) }
            case 1: body = Array(body.prefix(Int(next() % UInt64(body.count))))
            default: body = (0..<Int(next() % 512)).map { _ in UInt8(next() % 256) }
            }
            let status = [200, 200, 200, 400, 404, 500, 0][Int(next() % 7)]
            do {
                try harness.deliver(HTTPResponse(status: status, body: body))
                outcomes[.ok, default: 0] += 1
            } catch let error as HarnessError {
                outcomes[error.status, default: 0] += 1
            }
        }
        #expect(outcomes.keys.allSatisfy { [.ok, .retry, .fatal].contains($0) })
        #expect(outcomes[.retry, default: 0] > 0)
    }

    @Test func refusesAnUnusableConfiguration() {
        for (config, message) in [
            (#"{"locations":[]}"#, "locations: give at least one location"),
            (#"{"locations":[\#(Self.nyc),\#(Self.nyc)]}"#, "locations: duplicate name 'NYC'"),
            (
                #"{"locations":[\#(Self.nyc)],"models":"gfs025,gfs05"}"#,
                "models: one model per instance (its members would otherwise mix)"
            ),
            (#"{"locations":[{"name":"X","latitude":1}]}"#, "locations.0.longitude: required key is missing"),
        ] {
            let error = #expect(throws: HarnessError.self) { try PluginHarness(OpenMeteoEnsemblePlugin.self, config: config) }
            #expect(error?.status == .invalidConfig)
            #expect(error?.message == message)
        }
    }
}
