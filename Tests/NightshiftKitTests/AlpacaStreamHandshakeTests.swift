import AlpacaStream
import Foundation
import NightshiftKit
import NightshiftKitTesting
import Testing

/// The stream's handshake and configuration, driven through the plugin's C table on recorded frames.
@Suite struct AlpacaStreamHandshakeTests {
    static let keyID = "AKTESTKEYID0001"
    static let secret = "s3cr3t-Do-Not-Log"
    static let config = #"""
        {"key_id":"\#(keyID)","secret":"\#(secret)","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"]}
        """#

    /// A harness whose connection is open and subscribed with the recorded frames.
    static func subscribed(config: String = config) throws -> PluginHarness {
        let harness = try PluginHarness(AlpacaStreamPlugin.self, config: config)
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/subscription.json"))
        return harness
    }

    @Test func describesTheFeedURL() throws {
        let iex = try PluginHarness(AlpacaStreamPlugin.self, config: Self.config)
        #expect(try iex.describeStream() == StreamRequest(url: "wss://stream.data.alpaca.markets/v2/iex"))
        let testFeed =
            #"{"feed":"test","base_url":"ws://127.0.0.1:9/v2/","key_id":"k","secret":"s","trades":["FAKEPACA"]}"#
        let test = try PluginHarness(AlpacaStreamPlugin.self, config: testFeed)
        #expect(try test.describeStream().url == "ws://127.0.0.1:9/v2/test")
        #expect(PluginHarness.declaration(of: AlpacaStreamPlugin.self).isStreamSource)
    }

    @Test func authenticatesOnTheGreetingThenSubscribes() throws {
        let harness = try PluginHarness(AlpacaStreamPlugin.self, config: Self.config)
        try harness.openStream()
        #expect(harness.host.sentFrames.isEmpty)  // the server speaks first

        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        #expect(harness.host.sentFrames == [#"{"action":"auth","key":"AKTESTKEYID0001","secret":"s3cr3t-Do-Not-Log"}"#])

        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        #expect(harness.host.sentFrames.count == 2)
        let subscribe = #"{"action":"subscribe","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"]}"#
        #expect(harness.host.sentFrames.last == subscribe)

        try harness.receive(frame: AlpacaFixtures.text("stream/subscription.json"))
        let subscribed = try #require(harness.host.events(ofType: "stream_subscribed").first)
        #expect(subscribed.level == .info)
        #expect(subscribed.fields["trades"] == .int(1) && subscribed.fields["quotes"] == .int(2))
        #expect(subscribed.fields["resubscribed"] == .bool(false))
        #expect(harness.host.sentFrames.count == 2)
        #expect(harness.host.violations.isEmpty)
    }

    @Test func resubscribesOnEveryReconnect() throws {
        let harness = try Self.subscribed()
        try harness.closeStream()
        try harness.openStream()
        #expect(harness.host.sentFrames.count == 2)  // nothing until the new greeting
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/subscription.json"))
        let frames = harness.host.sentFrames
        #expect(frames.count == 4)
        #expect(frames[2] == frames[0] && frames[3] == frames[1])
        #expect(harness.host.events(ofType: "stream_subscribed").last?.fields["resubscribed"] == .bool(true))
        #expect(harness.host.events(ofType: "stream_subscribed").last?.fields["connection"] == .int(2))

        // A reconnect in mid-handshake starts over too, without a close in between.
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        #expect(harness.host.sentFrames.count == 6)
        #expect(harness.host.sentFrames[4] == frames[0] && harness.host.sentFrames[5] == frames[0])
    }

    @Test func messagesOutOfTurnSendNothing() throws {
        let harness = try PluginHarness(AlpacaStreamPlugin.self, config: Self.config)
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/subscription.json"))
        #expect(harness.host.sentFrames.isEmpty)
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        #expect(harness.host.sentFrames.count == 1)  // one auth per connection
        try harness.receive(frame: #"[{"T":"success","msg":"authenticated"},{"T":"success","msg":"authenticated"}]"#)
        #expect(harness.host.sentFrames.count == 2)  // one subscribe per connection
    }

    @Test func subscribesOnlyToTheChannelsInUseWithSymbolsEscaped() throws {
        let config =
            #"{"feed":"sip","key_id":"k\"q","secret":"s\\b","quotes":["BRK.B","AAPL","AAPL"],"daily_bars":["VOO"]}"#
        let harness = try PluginHarness(AlpacaStreamPlugin.self, config: config)
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        let auth = try #require(AlpacaFixtures.stringFields(harness.host.sentFrames[0]))
        #expect(auth == ["action": "auth", "key": "k\"q", "secret": "s\\b"])
        #expect(harness.host.sentFrames[1] == #"{"action":"subscribe","quotes":["BRK.B","AAPL"],"dailyBars":["VOO"]}"#)
    }

    @Test func warnsWhenTheAcknowledgementLacksARequestedSymbol() throws {
        let harness = try PluginHarness(
            AlpacaStreamPlugin.self, config: #"{"key_id":"k","secret":"s","trades":["AAPL","MSFT"]}"#)
        try harness.openStream()
        try harness.receive(frame: AlpacaFixtures.text("stream/connected.json"))
        try harness.receive(frame: AlpacaFixtures.text("stream/authenticated.json"))
        try harness.receive(frame: #"[{"T":"subscription","trades":["AAPL"],"quotes":[],"bars":[]}]"#)
        let event = try #require(harness.host.events(ofType: "stream_subscribed").first)
        #expect(event.level == .warning)
        #expect(event.fields["missing"] == .string("MSFT"))
    }

    // MARK: - Configuration

    private func createError(_ config: String) -> HarnessError? {
        do {
            _ = try PluginHarness(AlpacaStreamPlugin.self, config: config)
            return nil
        } catch let error as HarnessError {
            return error
        } catch {
            return HarnessError(code: .hostFailure, status: .fatal, message: "\(error)", call: "create")
        }
    }

    @Test func theIEXFeedAllowsThirtySymbolsForTradesAndQuotesTogether() throws {
        func symbols(_ count: Int, _ prefix: String) -> String {
            (0..<count).map { "\"\(prefix)\($0)\"" }.joined(separator: ",")
        }
        let atLimit = #"{"key_id":"k","secret":"s","trades":[\#(symbols(15, "T"))],"quotes":[\#(symbols(15, "Q"))]}"#
        #expect(createError(atLimit) == nil)
        let bars = #"{"key_id":"k","secret":"s","trades":[\#(symbols(30, "T"))],"bars":[\#(symbols(200, "B"))]}"#
        #expect(createError(bars) == nil)  // bars do not count

        let over = #"{"key_id":"k","secret":"s","trades":[\#(symbols(16, "T"))],"quotes":[\#(symbols(15, "Q"))]}"#
        let error = try #require(createError(over))
        #expect(error.status == .invalidConfig)
        #expect(error.message.contains("at most 30 symbols for trades and quotes together"))
        #expect(error.message.contains("31 (trades 16, quotes 15)"))

        let wildcard = try #require(createError(#"{"key_id":"k","secret":"s","quotes":["*"]}"#))
        #expect(wildcard.status == .invalidConfig && wildcard.message.contains("at most 30 symbols"))

        let sip = #"{"feed":"sip","key_id":"k","secret":"s","trades":[\#(symbols(16, "T"))],"quotes":["*"]}"#
        #expect(createError(sip) == nil)
    }

    @Test func refusesAnUnusableConfigurationNamingTheKey() throws {
        let cases: [(String, String)] = [
            (#"{"secret":"s","trades":["A"]}"#, "key_id"),
            (#"{"key_id":"","secret":"s","trades":["A"]}"#, "key_id"),
            (#"{"key_id":"k","secret":"","trades":["A"]}"#, "secret"),
            (#"{"key_id":"k","secret":"s"}"#, "at least one symbol"),
            (#"{"key_id":"k","secret":"s","trades":["A"],"base_url":"https://x"}"#, "base_url"),
            (#"{"key_id":"k","secret":"s","trades":["A B"]}"#, "trades"),
            (#"{"key_id":"k","secret":"s","feed":"otc","trades":["A"]}"#, "feed"),
        ]
        for (config, key) in cases {
            let error = try #require(createError(config), "\(config)")
            #expect(error.status == .invalidConfig, "\(config)")
            #expect(error.message.contains(key), "\(config): \(error.message)")
            #expect(!error.message.contains("s3cr3t"))
        }
    }
}
