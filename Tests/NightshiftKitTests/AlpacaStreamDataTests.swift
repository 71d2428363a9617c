import AlpacaStream
import NightshiftKit
import NightshiftKitTesting
import Testing

/// Recorded data and error frames through the stream plugin: typed events out, error codes mapped to statuses.
@Suite struct AlpacaStreamDataTests {
    private func time(_ seconds: Int64, _ nanos: Int64 = 0) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: seconds * 1_000_000_000 + nanos)
    }

    @Test func tradesBecomeTradeEventsWithNanosecondTimes() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        try harness.receive(frame: AlpacaFixtures.text("stream/trades.json"))
        let aapl = harness.host.symbol("AAPL")
        #expect(
            harness.host.emitted == [
                .trade(aapl, price: 126.55, size: 1, at: time(1_614_009_104, 208_000_000)),
                .trade(aapl, price: Fixed("126.5625")!, size: 200, at: time(1_614_009_104, 208_123_456)),
            ])
    }

    @Test func quotesBecomeQuoteEvents() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        try harness.receive(frame: AlpacaFixtures.text("stream/quotes.json"))
        #expect(
            harness.host.emitted == [
                .quote(
                    harness.host.symbol("AMD"), bid: 87.66, ask: 87.68, bidSize: 1, askSize: 4,
                    at: time(1_614_009_105, 335_689_322))
            ])
    }

    @Test func minuteUpdatedAndDailyBarsBecomeBarEvents() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        try harness.receive(frame: AlpacaFixtures.text("stream/bars.json"))
        let spy = harness.host.symbol("SPY")
        let voo = harness.host.symbol("VOO")
        #expect(
            harness.host.emitted == [
                .bar(
                    spy, open: Fixed("388.985")!, high: 389.13, low: Fixed("388.975")!, close: 389.12, volume: 49378,
                    at: time(1_614_021_300)),
                .bar(
                    spy, open: Fixed("388.985")!, high: 389.13, low: 388.97, close: 389.12, volume: 49412,
                    at: time(1_614_021_300)),
                .bar(
                    voo, open: 356.1, high: 358.99, low: 355.52, close: 357.4, volume: 3_034_812,
                    at: time(1_613_970_000)),
            ])
    }

    @Test func mixedFramesKeepOrderApplyOffsetsAndSkipOtherTypes() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        try harness.receive(frame: AlpacaFixtures.text("stream/mixed.json"))
        let aapl = harness.host.symbol("AAPL")
        #expect(
            harness.host.emitted == [
                .quote(aapl, bid: 189.98, ask: 190.02, bidSize: 2, askSize: 3, at: time(1_709_926_200, 1)),
                .trade(aapl, price: 190, size: 100, at: time(1_709_926_200, 500_000_000)),
                .bar(aapl, open: 189.9, high: 190.1, low: 189.8, close: 190.05, volume: 1500, at: time(1_709_926_200)),
            ])
        // Statuses and corrections are documented types this plugin does not publish: not a defect.
        #expect(harness.host.events(ofType: "stream_malformed").isEmpty)
    }

    @Test func numbersAndTimestampsAreReadExactly() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        let cases: [(text: String, price: Fixed?, time: Timestamp?)] = [
            (#""p":1e-8,"t":"1970-01-01T00:00:00Z""#, Fixed(raw: 1), time(0)),
            (#""p":0.000000005,"t":"1970-01-01T00:00:00.1+00:00""#, Fixed(raw: 1), time(0, 100_000_000)),
            (
                #""p":12.345678904,"t":"2000-02-29T23:59:59.999999999999Z""#, Fixed(raw: 1_234_567_890),
                time(951_868_799, 999_999_999)
            ),
            (#""p":-2.5E+1,"t":"1969-12-31T19:00:00-05:00""#, -25, time(0)),
            (#""p":1.5e300,"t":"2021-01-01T00:00:00Z""#, nil, nil),
            (#""p":92233720369,"t":"2021-01-01T00:00:00Z""#, nil, nil),
            (#""p":"1.5","t":"2021-01-01T00:00:00Z""#, nil, nil),
            (#""p":1,"t":"2021-02-29T00:00:00Z""#, nil, nil),
            (#""p":1,"t":"2021-01-01T00:00:00""#, nil, nil),
            (#""p":1,"t":"2021-01-01T24:00:00Z""#, nil, nil),
            (#""p":1,"t":"2021-01-01T00:00:00.Z""#, nil, nil),
            (#""p":1,"t":"3000-01-01T00:00:00Z""#, nil, nil),
        ]
        for (index, entry) in cases.enumerated() {
            harness.host.clearCaptured()
            try harness.receive(frame: #"[{"T":"t","S":"X\#(index)","s":1,\#(entry.text)}]"#)
            if let price = entry.price, let time = entry.time {
                let event = try #require(harness.host.emitted.first, "\(entry.text)")
                #expect(event.price == price, "\(entry.text)")
                #expect(event.time == time, "\(entry.text)")
            } else {
                #expect(harness.host.emitted.isEmpty, "\(entry.text)")
            }
        }
    }

    // MARK: - Errors

    @Test func errorCodesMapToFatalOrRetry() throws {
        let fatal: Set = [400, 401, 402, 403, 405, 409, 410, 411]
        let retry: Set = [404, 406, 407, 500]
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        var seen: Set<Int> = []
        for line in try AlpacaFixtures.lines("stream/errors.jsonl") {
            let code = try #require(Int(line.split(separator: ":")[2].prefix(3)))
            seen.insert(code)
            try harness.openStream()
            let error = try #require(throws: HarnessError.self) { try harness.receive(frame: line) }
            #expect(error.status == (fatal.contains(code) ? .fatal : .retry), "\(code)")
            #expect(error.message.contains("alpaca stream error \(code)"), "\(error.message)")
            #expect(error.call == "on_frame")
        }
        #expect(seen == fatal.union(retry))

        // Undocumented codes, and an error without a code, reconnect.
        for frame in [#"[{"T":"error","code":418,"msg":"teapot"}]"#, #"[{"T":"error","msg":"?"}]"#] {
            let error = try #require(throws: HarnessError.self) { try harness.receive(frame: frame) }
            #expect(error.status == .retry)
        }
    }

    @Test func dataBeforeAnErrorInTheSameFrameIsStillPublished() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        let frame =
            #"[{"T":"t","S":"AAPL","p":1,"s":2,"t":"2021-01-01T00:00:00Z"},"#
            + #"{"T":"error","code":407,"msg":"slow client"},"#
            + #"{"T":"t","S":"AAPL","p":3,"s":4,"t":"2021-01-01T00:00:01Z"}]"#
        let error = try #require(throws: HarnessError.self) { try harness.receive(frame: frame) }
        #expect(error.status == .retry)
        #expect(harness.host.emitted.map(\.price) == [1])
    }

    @Test func credentialsNeverReachAnErrorOrALogLine() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        let keyID = AlpacaStreamHandshakeTests.keyID
        let secret = AlpacaStreamHandshakeTests.secret
        let echo = #"[{"T":"error","code":402,"msg":"auth failed for \#(keyID) / \#(secret)"}]"#
        let error = try #require(throws: HarnessError.self) { try harness.receive(frame: echo) }
        #expect(error.status == .fatal)
        #expect(error.message.contains("[redacted]"))
        #expect(!error.message.contains(AlpacaStreamHandshakeTests.secret))
        #expect(!error.message.contains(AlpacaStreamHandshakeTests.keyID))
        try harness.receive(frame: "not json \(AlpacaStreamHandshakeTests.secret)")
        for record in harness.host.logs {
            let text = "\(record)"
            #expect(!text.contains(AlpacaStreamHandshakeTests.secret), "\(text)")
            #expect(!text.contains(AlpacaStreamHandshakeTests.keyID), "\(text)")
        }
    }
}
