import AlpacaBroker
import NightshiftKit
import NightshiftKitTesting
import Testing

/// The Alpaca broker on recorded trading API answers: request shapes, status mapping, unknown outcomes, secrets.
@Suite struct AlpacaBrokerTests {
    static let keyID = "PKTESTKEYID0002"
    static let secret = "sk-Never-In-A-Log-Line"
    static let config = #"{"key_id":"\#(keyID)","secret":"\#(secret)"}"#
    static let ordersURL = "https://paper-api.alpaca.markets/v2/orders"
    static let clientOrderID = "a1b2c3d4-momentum-1"
    static let lookupURL =
        "https://paper-api.alpaca.markets/v2/orders:by_client_order_id?client_order_id=a1b2c3d4-momentum-1"

    private func order(
        _ harness: PluginHarness, _ side: Order.Side = .buy, limit: Fixed? = 190.02, tif: Order.TimeInForce = .day,
        id: String = clientOrderID
    ) -> Order {
        Order(
            symbol: harness.host.symbol("AAPL"), side: side, type: limit == nil ? .market : .limit, timeInForce: tif,
            quantity: 10, limitPrice: limit, clientOrderID: id)
    }

    private func response(_ status: Int, _ fixture: String) throws -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [HTTPHeader("content-type", "application/json")],
            text: try AlpacaFixtures.text("orders/\(fixture)"))
    }

    /// Asserts that neither credential appears in anything the plugin logged.
    private func expectNoCredentials(in harness: PluginHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!harness.host.logs.isEmpty, sourceLocation: sourceLocation)
        for record in harness.host.logs {
            let text = "\(record)"
            #expect(!text.contains(Self.secret), "\(text)", sourceLocation: sourceLocation)
            #expect(!text.contains(Self.keyID), "\(text)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Requests

    @Test func submitPostsTheDocumentedBodyWithTheKeyHeaders() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        harness.host.script(Self.ordersURL, responses: try response(200, "order-new.json"))
        let update = try harness.submit(order(harness))

        let request = try #require(harness.host.httpRequests.first)
        #expect(harness.host.httpRequests.count == 1)
        #expect(request.method == "POST")
        #expect(request.url == Self.ordersURL)
        #expect(request.headers.value(of: "APCA-API-KEY-ID") == Self.keyID)
        #expect(request.headers.value(of: "APCA-API-SECRET-KEY") == Self.secret)
        #expect(request.headers.value(of: "Content-Type") == "application/json")
        #expect(request.idempotencyKey == Self.clientOrderID)
        let body =
            #"{"symbol":"AAPL","qty":"10","side":"buy","type":"limit","time_in_force":"day","limit_price":"190.02","#
            + #""client_order_id":"a1b2c3d4-momentum-1"}"#
        #expect(request.text == body)

        #expect(update.status == .new)
        #expect(update.filled == .zero && update.remaining == 10 && update.averagePrice == nil)
        #expect(update.clientOrderID == Self.clientOrderID)
        #expect(update.venueOrderID == "61e69015-8549-4bfd-b9c3-01e75843f47d")
        #expect(update.symbol == harness.host.symbol("AAPL"))
        expectNoCredentials(in: harness)
    }

    @Test func marketOrdersCarryNoLimitPrice() throws {
        let harness = try PluginHarness(
            AlpacaBrokerPlugin.self,
            config: #"{"key_id":"k","secret":"s","base_url":"http://127.0.0.1:8/","request_timeout_ms":1500}"#)
        harness.host.script("http://127.0.0.1:8/v2/orders", responses: try response(200, "order-filled.json"))
        let sell = Order(
            symbol: harness.host.symbol("BRK.B"), side: .sell, timeInForce: .goodTillCanceled,
            quantity: Fixed("0.5")!, clientOrderID: "x")
        _ = try harness.submit(sell)
        let request = try #require(harness.host.httpRequests.first)
        let fields = try #require(AlpacaFixtures.stringFields(request.text))
        #expect(
            fields == [
                "symbol": "BRK.B", "qty": "0.5", "side": "sell", "type": "market", "time_in_force": "gtc",
                "client_order_id": "x",
            ])
        #expect(request.timeout == .milliseconds(1500))
    }

    @Test func queryLooksTheOrderUpByClientOrderID() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        harness.host.script(Self.lookupURL, responses: try response(200, "order-filled.json"))
        let update = try harness.query(clientOrderID: Self.clientOrderID)
        let request = try #require(harness.host.httpRequests.first)
        #expect(request.method == "GET")
        #expect(request.headers.value(of: "APCA-API-KEY-ID") == Self.keyID)
        #expect(request.headers.value(of: "APCA-API-SECRET-KEY") == Self.secret)
        #expect(update.status == .filled && update.filled == 10 && update.averagePrice == Fixed("190.015")!)
        #expect(update.symbol == harness.host.symbol("AAPL"))

        harness.host.script(
            "https://paper-api.alpaca.markets/v2/orders:by_client_order_id?client_order_id=a%20b%2Fc%26d",
            responses: try response(404, "error-not-found.json"))
        #expect(try harness.query(clientOrderID: "a b/c&d").status == .rejected)
    }

    // MARK: - Answers

    @Test func orderStatusesMapToTheSDKs() throws {
        let cases: [(String, OrderUpdate.Status, Fixed, Fixed, Fixed?)] = [
            ("order-new.json", .new, 0, 10, nil),
            ("order-pending-new.json", .new, 0, 10, nil),
            ("order-partially-filled.json", .partiallyFilled, 4, 6, Fixed("190.01")!),
            ("order-filled.json", .filled, 10, 0, Fixed("190.015")!),
            ("order-canceled.json", .canceled, 4, 0, Fixed("190.01")!),
            ("order-rejected.json", .rejected, 0, 0, nil),
        ]
        for (fixture, status, filled, remaining, price) in cases {
            let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
            harness.host.script(Self.ordersURL, responses: try response(200, fixture))
            let update = try harness.submit(order(harness))
            #expect(update.status == status, "\(fixture)")
            #expect(update.filled == filled && update.remaining == remaining, "\(fixture)")
            #expect(update.averagePrice == price, "\(fixture)")
        }
    }

    @Test func venueRefusalsRejectWithAlpacasMessage() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        harness.host.script(Self.ordersURL, responses: try response(403, "error-buying-power.json"))
        let update = try harness.submit(order(harness))
        #expect(update.status == .rejected)
        #expect(update.reason == "HTTP 403: insufficient buying power")
        #expect(harness.host.logs.last?.level == .warning)
        expectNoCredentials(in: harness)
    }

    @Test func anOrderAlpacaCannotTakeIsRejectedWithoutARequest() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        var binary = order(harness)
        binary.outcome = .yes
        #expect(try harness.submit(binary).status == .rejected)
        var unpriced = order(harness)
        unpriced.limitPrice = nil
        #expect(try harness.submit(unpriced).reason == "a limit order needs a positive limit price")
        #expect(harness.host.httpRequests.isEmpty)
    }

    @Test func noAnswerMeansTheOutcomeIsUnknown() throws {
        let answers: [FakeHost.HTTPScript] = [
            .failure(.retry, "operation timed out after 10000 ms (retry_exhausted after 4 attempt(s))"),
            .failure(.fatal, "connection refused"),
            .response(HTTPResponse(status: 0, transportError: "connection reset by peer")),
            .response(HTTPResponse(status: 503, text: "upstream unavailable")),
            .response(try response(429, "error-rate-limit.json")),
            .response(HTTPResponse(status: 200, text: #"{"id":"61e6","status":"#)),
        ]
        for answer in answers {
            let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
            harness.host.script(Self.ordersURL, answer)
            let update = try harness.submit(order(harness))
            #expect(update.status == .unknown, "\(answer)")
            #expect(update.remaining == 10 && update.filled == .zero, "\(answer)")
            #expect(update.reason?.hasPrefix("outcome unknown") == true, "\(answer)")
            #expect(harness.host.httpRequests.count == 1)  // never resubmitted blindly
            expectNoCredentials(in: harness)
        }
    }

    @Test func aDuplicateClientOrderIDIsAnsweredByALookup() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        harness.host.script(Self.ordersURL, responses: try response(422, "error-duplicate.json"))
        harness.host.script(Self.lookupURL, responses: try response(200, "order-partially-filled.json"))
        let update = try harness.submit(order(harness))
        #expect(harness.host.httpRequests.map(\.method) == ["POST", "GET"])
        #expect(harness.host.httpRequests.last?.url == Self.lookupURL)
        #expect(update.status == .partiallyFilled && update.filled == 4)
        #expect(update.clientOrderID == Self.clientOrderID)
    }

    @Test func notFoundStaysUnknownWithinTheGraceThenRejects() throws {
        let harness = try PluginHarness(
            AlpacaBrokerPlugin.self, config: #"{"key_id":"k","secret":"s","not_found_grace_seconds":30}"#)
        harness.host.script(Self.ordersURL, .failure(.retry, "timed out"))
        #expect(try harness.submit(order(harness)).status == .unknown)

        harness.host.script(Self.lookupURL, responses: try response(404, "error-not-found.json"))
        let early = try harness.query(clientOrderID: Self.clientOrderID)
        #expect(early.status == .unknown)
        #expect(early.symbol == harness.host.symbol("AAPL"))

        harness.host.advance(by: .seconds(31))
        harness.host.script(Self.lookupURL, responses: try response(404, "error-not-found.json"))
        let late = try harness.query(clientOrderID: Self.clientOrderID)
        #expect(late.status == .rejected && late.reason == "not found at the venue")

        // An id the broker never sent is simply not there.
        harness.host.script(
            "https://paper-api.alpaca.markets/v2/orders:by_client_order_id?client_order_id=other",
            responses: try response(404, "error-not-found.json"))
        #expect(try harness.query(clientOrderID: "other").status == .rejected)
    }

    @Test func aFailedLookupAsksTheHostToTryAgainLater() throws {
        let harness = try PluginHarness(AlpacaBrokerPlugin.self, config: Self.config)
        harness.host.script(Self.lookupURL, .failure(.retry, "timed out"))
        let transport = try #require(throws: HarnessError.self) { try harness.query(clientOrderID: Self.clientOrderID) }
        #expect(transport.status == .retry)
        harness.host.script(Self.lookupURL, responses: HTTPResponse(status: 500, text: #"{"message":"boom"}"#))
        let server = try #require(throws: HarnessError.self) { try harness.query(clientOrderID: Self.clientOrderID) }
        #expect(server.status == .retry && server.message.contains("HTTP 500: boom"))
        for error in [transport, server] {
            #expect(!error.message.contains(Self.secret) && !error.message.contains(Self.keyID))
        }
    }

    @Test func refusesAnUnusableConfiguration() throws {
        for config in [
            #"{"secret":"s"}"#, #"{"key_id":"k","secret":""}"#, #"{"key_id":"k","secret":"s","base_url":"ftp://x"}"#,
        ] {
            let error = try #require(throws: HarnessError.self) {
                try PluginHarness(AlpacaBrokerPlugin.self, config: config)
            }
            #expect(error.status == .invalidConfig, "\(config)")
        }
    }
}
