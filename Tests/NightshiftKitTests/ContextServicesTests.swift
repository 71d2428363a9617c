import NightshiftKit
import NightshiftKitTesting
import Testing

/// Each host service as a plugin calls it through ``PluginContext``, observed on the fake host.
@Suite struct ContextServicesTests {
    @Test func pollCycleDescribesRequestsAndParsesResponses() throws {
        let harness = try PluginHarness(
            ProbePlugin.self, config: #"{"urls":["http://127.0.0.1/a","http://127.0.0.1/b"]}"#)
        harness.host.script("http://127.0.0.1/a", responses: HTTPResponse(status: 200, text: "alpha"))
        harness.host.script("http://127.0.0.1/b", responses: HTTPResponse(status: 404, text: "nope"))
        let requests = try harness.runCycle()

        #expect(requests.map(\.url) == ["http://127.0.0.1/a", "http://127.0.0.1/b"])
        let first = try #require(requests.first)
        #expect(first.method == "POST")
        #expect(first.headers == [HTTPHeader("X-Probe", "http://127.0.0.1/a")])
        #expect(first.text == "body of http://127.0.0.1/a")
        #expect(first.timeout == .milliseconds(1500))
        #expect(first.idempotencyKey == "key-http://127.0.0.1/a")
        #expect(first.label == "probe")

        #expect(harness.host.emitted.map(\.payload) == [
            #"{"status":200,"body":"alpha"}"#, #"{"status":404,"body":"nope"}"#,
        ])
        #expect(harness.host.emitted.allSatisfy { $0.kind == .custom && $0.time == harness.host.now })
        #expect(harness.host.name(of: harness.host.emitted[0].symbol) == "RESP")
    }

    @Test func retryFromOnResponseSurfacesAsRetry() throws {
        let harness = try PluginHarness(ProbePlugin.self, config: #"{"urls":["http://127.0.0.1/x"]}"#)
        harness.host.script("http://127.0.0.1/x", responses: HTTPResponse(status: 503))
        let error = #expect(throws: HarnessError.self) { try harness.runCycle() }
        #expect(error?.call == "on_response")
        #expect(error?.status == .retry)
        #expect(error?.message == "status 503")
    }

    @Test func unscriptedRequestsFailTheCycle() throws {
        let harness = try PluginHarness(ProbePlugin.self, config: #"{"urls":["http://127.0.0.1/none"]}"#)
        let error = #expect(throws: HarnessError.self) { try harness.runCycle() }
        #expect(error?.code == .hostFailure)
    }

    @Test func eventsRoundTripWithPayloadsAndEveryField() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        let symbol = harness.host.symbol("ABC")
        let bar = MarketEvent(
            kind: .bar, symbol: symbol, time: Timestamp(secondsSinceEpoch: 7), price: 5, size: 6, bid: 1, ask: 2,
            bidSize: 3, askSize: 4, open: 7, high: 8, low: 9, volume: 10, source: 11, payload: #"{"k":1}"#)
        let quote = MarketEvent.quote(symbol, bid: 1.25, ask: 1.5, at: Timestamp(secondsSinceEpoch: 8))
        try harness.send([bar, quote])

        // The probe re-emits each event with price + 1, once as strategy and once as broker.
        var expected = bar
        expected.price = 6
        var expectedQuote = quote
        expectedQuote.price = 1
        #expect(harness.host.emitted == [expected, expectedQuote, expected, expectedQuote])
    }

    @Test func streamCallbacksSendFramesThroughTheHost() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        let request = try harness.describeStream()
        #expect(request.url == "wss://127.0.0.1/stream")
        #expect(request.headers == [HTTPHeader("Authorization", "Bearer token")])
        try harness.openStream()
        try harness.receive(frame: "tick")
        try harness.closeStream()
        #expect(harness.host.sentFrames == [#"{"action":"subscribe"}"#, "echo:tick"])
        #expect(harness.host.logs.last?.message == "closed")
        #expect(harness.host.logs.last?.level == .notice)
    }

    @Test func httpIsPerformedByTheHostAndItsFailuresKeepTheirStatus() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        harness.host.script(
            "http://127.0.0.1/data",
            .response(HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/plain")], text: "42")),
            .failure(.retry, "retries exhausted after 3 attempts"))
        try harness.receive(frame: "fetch http://127.0.0.1/data")
        #expect(harness.host.sentFrames == ["200 text/plain 42"])
        #expect(harness.host.httpRequests.map(\.headers) == [[HTTPHeader("Accept", "text/plain")]])

        let error = #expect(throws: HarnessError.self) { try harness.receive(frame: "fetch http://127.0.0.1/data") }
        #expect(error?.status == .retry)
        #expect(error?.message == "retries exhausted after 3 attempts")
        #expect(harness.host.httpRequests.count == 2)
    }

    @Test func brokerCallsCarryOrdersAndUpdatesBothWays() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        let order = Order(
            symbol: harness.host.symbol("YESNO"), side: .sell, type: .limit, timeInForce: .fillOrKill, outcome: .no,
            quantity: 3, limitPrice: 0.42, reason: "edge")
        let update = try harness.submit(order)
        #expect(update.status == .new)
        #expect(update.clientOrderID == "test-1")
        #expect(update.venueOrderID == "venue-test-1")
        #expect(update.remaining == 3)
        #expect(update.reason == "sell limit fok no edge")
        #expect(update.time == harness.host.now)

        let queried = try harness.query(clientOrderID: "abc")
        #expect(queried.status == .filled)
        #expect(queried.filled == 2)
        #expect(queried.averagePrice == 1.5)
        #expect(harness.host.name(of: queried.symbol) == "Q")

        try harness.send(
            update: OrderUpdate(
                symbol: order.symbol, status: .partiallyFilled, filled: 1.5, remaining: 1.5, clientOrderID: "test-1",
                reason: "half"))
        let row = try #require(harness.host.events(ofType: "probe_update").first)
        #expect(row.message == "half")
        #expect(row.fields == ["status": "partially_filled", "filled": "1.5"])
        #expect(row.level == .info)
    }

    @Test func submittedOrdersGetClientIDsAndRiskBlocksThrowTheHostReason() throws {
        let harness = try PluginHarness(PlainStrategy.self, instanceName: "plain-1")
        try harness.send(quote: "OK", bid: 10, ask: 11)
        let order = try #require(harness.host.orders.first)
        #expect(order.clientOrderID == "plain-1-1")
        #expect(order.type == .limit && order.limitPrice == 10 && order.timeInForce == .immediateOrCancel)
        #expect(order.quantity == 2 && order.side == .buy && order.reason == "bid seen")
        #expect(order.time == harness.host.now)

        harness.host.risk = { _ in "max position 0 reached" }
        let error = #expect(throws: HarnessError.self) { try harness.send(quote: "OK", bid: 10, ask: 11) }
        // PlainStrategy lets the error propagate: the host's reason and status come back as the plugin's.
        #expect(error?.status == .fatal)
        #expect(error?.message == "max position 0 reached")
        #expect(harness.host.blockedOrders.count == 1)
        #expect(harness.host.orders.count == 1)
    }

    @Test func servicesPastAnOlderHostsTableAreAbsent() throws {
        let host = FakeHost()
        let harness = try PluginHarness(PlainStrategy.self, host: host)
        host.declaredTableSize = try #require(FakeHost.offset(ofService: "submit_order"))
        let error = #expect(throws: HarnessError.self) { try harness.send(quote: "A", bid: 1, ask: 2) }
        #expect(error?.status == .fatal)
        #expect(error?.message == "the host does not provide submit_order")
        #expect(host.orders.isEmpty)
    }

    @Test func symbolsAreInternedByTheHost() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        let before = harness.host.symbol("FIRST")
        try harness.runCycle()  // no URLs: nothing to do, but proves a cycle with no requests completes
        try harness.send([.quote(harness.host.symbol("SECOND"), bid: 1, ask: 2, at: harness.host.now)])
        #expect(before.id == 1)
        #expect(harness.host.symbol("SECOND").id == 2)
        #expect(harness.host.violations.isEmpty)
    }
}
