import AlpacaBroker
import AlpacaStream
import Foundation
import NightshiftKit
import NightshiftKitTesting
import NightshiftTestSupport
import Testing

/// The Alpaca simulators in `scripts/sims/`, started for real on 127.0.0.1 and spoken to by the plugins, with this
/// test standing in for the host's connection (frames in and out) and HTTP service.
@Suite struct AlpacaSimulatorTests {
    // MARK: - Stream

    private func streamConfig(port: Int, feed: String = "iex") -> String {
        #"""
        {"feed":"\#(feed)","base_url":"ws://127.0.0.1:\#(port)/v2","key_id":"test-key","secret":"test-secret",
         "trades":["AAPL"],"quotes":["MSFT"],"bars":["SPY"]}
        """#
    }

    /// Plays the host's part on one connection: server frames into the plugin, the plugin's frames back out.
    ///
    /// - Returns: The frames received, stopping when `done` holds or the server closes (then `closed` is true).
    private func pump(
        _ harness: PluginHarness, _ socket: AlpacaSimWebSocket, until done: () -> Bool
    ) throws -> (frames: [String], closed: Bool) {
        var frames: [String] = []
        var forwarded = harness.host.sentFrames.count
        while !done() {
            guard frames.count < 500, let frame = try socket.receive() else { return (frames, true) }
            frames.append(frame)
            try harness.receive(frame: frame)
            for sent in harness.host.sentFrames[forwarded...] { try socket.send(sent) }
            forwarded = harness.host.sentFrames.count
        }
        return (frames, false)
    }

    private func stats(_ port: Int) throws -> [String: Int] {
        let response = try AlpacaSimHTTP.perform(HTTPRequest.get("http://127.0.0.1:\(port)/_sim/stats"))
        #expect(response.status == 200)
        return try #require((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Int])
    }

    @Test func theStreamPluginAuthenticatesSubscribesAndReadsData() throws {
        try withScript("sims/alpaca_stream_sim.py", arguments: ["--rate", "200"]) { sim in
            let harness = try PluginHarness(AlpacaStreamPlugin.self, config: streamConfig(port: sim.port))
            let socket = try AlpacaSimWebSocket(url: try harness.describeStream().url)
            try harness.openStream()
            let kinds = { Set(harness.host.emitted.map(\.kind)) }
            let (frames, closed) = try pump(harness, socket) { kinds().isSuperset(of: [.trade, .quote, .bar]) }
            #expect(!closed)
            #expect(frames[0] == #"[{"T":"success","msg":"connected"}]"#)
            #expect(frames[1] == #"[{"T":"success","msg":"authenticated"}]"#)
            #expect(frames[2].hasPrefix(#"[{"T":"subscription","trades":["AAPL"],"quotes":["MSFT"],"bars":["SPY"]"#))
            #expect(harness.host.sentFrames[0] == #"{"action":"auth","key":"test-key","secret":"test-secret"}"#)
            for event in harness.host.emitted {
                let name = harness.host.name(of: event.symbol)
                switch event.kind {
                case .trade: #expect(name == "AAPL" && event.price > .zero && event.size > .zero)
                case .quote: #expect(name == "MSFT" && event.bid > .zero && event.ask > event.bid)
                default: #expect(name == "SPY" && event.low <= event.high && event.volume > .zero)
                }
                #expect(event.time > Timestamp(secondsSinceEpoch: 1_700_000_000))
            }
            #expect(harness.host.events(ofType: "stream_malformed").isEmpty)
            let counts = try stats(sim.port)
            #expect(counts["authenticated"] == 1 && counts["subscriptions"] == 1)
        }
    }

    @Test func aDroppedConnectionResubscribesOnTheNextOne() throws {
        let arguments = ["--rate", "200", "--drop-after", "3", "--faulty-connections", "1"]
        try withScript("sims/alpaca_stream_sim.py", arguments: arguments) { sim in
            let harness = try PluginHarness(AlpacaStreamPlugin.self, config: streamConfig(port: sim.port))
            let url = try harness.describeStream().url
            let first = try AlpacaSimWebSocket(url: url)
            try harness.openStream()
            let dropped = try pump(harness, first) { false }
            #expect(dropped.closed)
            #expect(harness.host.emitted.count == 3)
            try harness.closeStream()

            let second = try AlpacaSimWebSocket(url: url)
            try harness.openStream()
            _ = try pump(harness, second) { harness.host.emitted.count >= 8 }
            #expect(harness.host.sentFrames.count == 4)
            #expect(harness.host.sentFrames[2] == harness.host.sentFrames[0])
            #expect(harness.host.sentFrames[3] == harness.host.sentFrames[1])
            let counts = try stats(sim.port)
            #expect(counts["connections"] == 2 && counts["subscriptions"] == 2 && counts["faults"] == 1)
        }
    }

    @Test func serverErrorsReachThePluginAsFatalOrRetry() throws {
        let cases: [([String], Int, PluginStatus)] = [
            (["--reject-auth"], 402, .fatal),
            (["--error", "406"], 406, .retry),
            (["--error", "409", "--error-on", "subscribe"], 409, .fatal),
            (["--error", "500", "--error-on", "data", "--error-after", "2", "--rate", "200"], 500, .retry),
        ]
        for (arguments, code, status) in cases {
            try withScript("sims/alpaca_stream_sim.py", arguments: arguments) { sim in
                let harness = try PluginHarness(AlpacaStreamPlugin.self, config: streamConfig(port: sim.port))
                let socket = try AlpacaSimWebSocket(url: try harness.describeStream().url)
                try harness.openStream()
                let error = try #require(throws: HarnessError.self, "\(arguments)") {
                    _ = try pump(harness, socket) { false }
                }
                #expect(error.status == status, "\(arguments)")
                #expect(error.message.contains("alpaca stream error \(code)"), "\(error.message)")
            }
        }
    }

    @Test func theSimulatorEnforcesTheIEXLimitAndKnowsOnlyTheFeeds() throws {
        try withScript("sims/alpaca_stream_sim.py") { sim in
            let socket = try AlpacaSimWebSocket(port: sim.port, path: "/v2/iex")
            #expect(try socket.receive() == #"[{"T":"success","msg":"connected"}]"#)
            try socket.send(#"{"action":"subscribe","trades":["AAPL"]}"#)
            #expect(try socket.receive() == #"[{"T":"error","code":401,"msg":"not authenticated"}]"#)
            try socket.send(#"{"action":"auth","key":"test-key","secret":"test-secret"}"#)
            #expect(try socket.receive() == #"[{"T":"success","msg":"authenticated"}]"#)
            let symbols = (0..<31).map { "\"S\($0)\"" }.joined(separator: ",")
            try socket.send(#"{"action":"subscribe","trades":[\#(symbols)]}"#)
            #expect(try socket.receive() == #"[{"T":"error","code":405,"msg":"symbol limit exceeded"}]"#)
            try socket.send("not json")
            #expect(try socket.receive() == #"[{"T":"error","code":400,"msg":"invalid syntax"}]"#)

            #expect(throws: AlpacaSimSocket.Failure.self) {
                _ = try AlpacaSimWebSocket(port: sim.port, path: "/v2/otc")
            }
        }
    }

    @Test func aSilentStreamNeitherSendsNorCloses() throws {
        try withScript("sims/alpaca_stream_sim.py", arguments: ["--silence-after", "2", "--rate", "200"]) { sim in
            let harness = try PluginHarness(AlpacaStreamPlugin.self, config: streamConfig(port: sim.port))
            let socket = try AlpacaSimWebSocket(url: try harness.describeStream().url, timeout: .milliseconds(700))
            try harness.openStream()
            let error = try #require(throws: AlpacaSimSocket.Failure.self) { _ = try pump(harness, socket) { false } }
            #expect(error.isTimeout)
            #expect(harness.host.emitted.count == 2)
        }
    }

    @Test func aFlappingServerDropsEveryConnectionAtOnce() throws {
        try withScript("sims/alpaca_stream_sim.py", arguments: ["--flap"]) { sim in
            for _ in 0..<2 {
                let socket = try AlpacaSimWebSocket(port: sim.port, path: "/v2/iex")
                #expect(try socket.receive() == nil)
            }
            let counts = try stats(sim.port)
            #expect(counts["connections"] == 2 && counts["faults"] == 2 && counts["authenticated"] == 0)
        }
    }

    @Test func aBurstArrivesBeforeTheSlowRateCouldSendIt() throws {
        // At one frame per 1000 s, only the burst can deliver five data messages within the test.
        try withScript("sims/alpaca_stream_sim.py", arguments: ["--burst", "5", "--rate", "0.001"]) { sim in
            let harness = try PluginHarness(AlpacaStreamPlugin.self, config: streamConfig(port: sim.port))
            let socket = try AlpacaSimWebSocket(url: try harness.describeStream().url)
            try harness.openStream()
            let (_, closed) = try pump(harness, socket) { harness.host.emitted.count >= 5 }
            #expect(!closed)
            #expect(harness.host.emitted.map(\.kind) == [.trade, .quote, .bar, .trade, .quote])
        }
    }

    // MARK: - Orders

    private func brokerHarness(port: Int, extra: String = "") throws -> PluginHarness {
        let harness = try PluginHarness(
            AlpacaBrokerPlugin.self,
            config: #"{"base_url":"http://127.0.0.1:\#(port)","key_id":"test-key","secret":"test-secret"\#(extra)}"#)
        AlpacaSimHTTP.connect(harness.host)
        return harness
    }

    private func order(_ harness: PluginHarness, id: String) -> Order {
        Order(
            symbol: harness.host.symbol("AAPL"), side: .buy, type: .limit, quantity: 10, limitPrice: Fixed("187.5")!,
            clientOrderID: id)
    }

    @Test func theBrokerPlacesOneOrderPerClientOrderID() throws {
        try withScript("sims/alpaca_orders_sim.py") { sim in
            let harness = try brokerHarness(port: sim.port)
            let placed = try harness.submit(order(harness, id: "run1-momentum-1"))
            #expect(placed.status == .filled && placed.filled == 10 && placed.averagePrice == Fixed("187.5")!)
            let venueID = try #require(placed.venueOrderID)

            let again = try harness.submit(order(harness, id: "run1-momentum-1"))
            #expect(again.status == .filled && again.venueOrderID == venueID)
            #expect(try harness.query(clientOrderID: "run1-momentum-1").venueOrderID == venueID)
            #expect(try harness.query(clientOrderID: "run1-momentum-404").status == .rejected)

            let counts = try stats(sim.port)
            #expect(counts["orders"] == 1 && counts["duplicates"] == 1)

            let anonymous = try AlpacaSimHTTP.perform(
                .post("http://127.0.0.1:\(sim.port)/v2/orders", body: #"{"symbol":"AAPL"}"#))
            #expect(anonymous.status == 401)
            #expect(AlpacaFixtures.stringFields(anonymous.text) == nil)  // code is a number
            #expect(anonymous.text.contains(#""code":40110000"#))
        }
    }

    @Test func partialFillsProgressWithEachLookup() throws {
        try withScript("sims/alpaca_orders_sim.py", arguments: ["--partial", "--partial-steps", "2"]) { sim in
            let harness = try brokerHarness(port: sim.port)
            let placed = try harness.submit(order(harness, id: "p-1"))
            #expect(placed.status == .new && placed.filled == .zero && placed.remaining == 10)
            let half = try harness.query(clientOrderID: "p-1")
            #expect(half.status == .partiallyFilled && half.filled == 5 && half.remaining == 5)
            let done = try harness.query(clientOrderID: "p-1")
            #expect(done.status == .filled && done.filled == 10 && done.remaining == .zero)
        }
    }

    @Test func anUnansweredSubmitIsUnknownThenReconciledByLookup() throws {
        let arguments = ["--timeout-after-accept", "1", "--hang", "5"]
        try withScript("sims/alpaca_orders_sim.py", arguments: arguments) { sim in
            let harness = try brokerHarness(port: sim.port, extra: #","request_timeout_ms":400"#)
            let sent = try harness.submit(order(harness, id: "t-1"))
            #expect(sent.status == .unknown)
            let reconciled = try harness.query(clientOrderID: "t-1")
            #expect(reconciled.status == .filled && reconciled.filled == 10)
            let counts = try stats(sim.port)
            #expect(counts["orders"] == 1 && counts["timeouts"] == 1 && counts["duplicates"] == 0)
        }
    }

    @Test func rateLimitedRequestsGetTheDocumented429() throws {
        try withScript("sims/alpaca_orders_sim.py", arguments: ["--rate-limit", "1"]) { sim in
            let harness = try brokerHarness(port: sim.port)
            let limited = try harness.submit(order(harness, id: "r-1"))
            #expect(limited.status == .unknown)
            #expect(try harness.submit(order(harness, id: "r-1")).status == .filled)  // as the host's retry would
            let counts = try stats(sim.port)
            #expect(counts["rate_limited"] == 1 && counts["orders"] == 1 && counts["duplicates"] == 0)
        }
    }
}
