import Foundation
import KalshiBroker
import NightshiftKit
import NightshiftKitTesting
import Testing

@Suite struct KalshiBrokerTests {
    private static let base = "https://api.elections.kalshi.com/trade-api/v2"
    private static let ordersURL = "\(base)/portfolio/orders"
    private static let ticker = "KXHIGHNY-25JAN02-B42.5"

    /// A broker configured with a fresh key (as PEM text); the key pair is removed when `body` returns.
    private func withBroker<T>(
        _ extra: String = "", _ body: (PluginHarness, TestKeyPair) throws -> T
    ) throws -> T {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let config = #"{"key_id":"key-123","private_key":\#(jsonString(try keys.privatePEM()))\#(extra)}"#
        return try body(try PluginHarness(KalshiBrokerPlugin.self, config: config), keys)
    }

    private func order(
        _ harness: PluginHarness, outcome: Order.Outcome = .yes, quantity: Fixed = 3, price: Fixed? = 0.25,
        id: String = "run1-edge-1"
    ) -> Order {
        Order(
            symbol: harness.host.symbol(Self.ticker), side: .buy, type: price == nil ? .market : .limit,
            timeInForce: .immediateOrCancel, outcome: outcome, quantity: quantity, limitPrice: price,
            clientOrderID: id)
    }

    @Test func postsASignedLimitOrderAndReadsTheRestingAnswer() throws {
        try withBroker { harness, _ in
            harness.host.script(Self.ordersURL, responses: try Fixture.response("kalshi/order-resting.json", status: 201))
            let update = try harness.submit(order(harness))
            #expect(update.status == .new)
            #expect(update.filled == .zero && update.remaining == 3)
            #expect(update.venueOrderID == "ee1c0d2a-7d1f-4c83-9d07-6f0f5b3a1c01")
            #expect(update.clientOrderID == "run1-edge-1")
            #expect(harness.host.name(of: update.symbol) == Self.ticker)

            let request = try #require(harness.host.httpRequests.first)
            #expect(harness.host.httpRequests.count == 1)
            #expect(request.method == "POST" && request.url == Self.ordersURL)
            #expect(
                request.text == #"{"action":"buy","client_order_id":"run1-edge-1","count":3,"side":"yes","#
                    + #""ticker":"KXHIGHNY-25JAN02-B42.5","time_in_force":"immediate_or_cancel","type":"limit","yes_price":25}"#)
            // Never repeated by the host: no idempotency key on the POST.
            #expect(request.idempotencyKey == nil)
            #expect(request.timeout == .seconds(10))
            #expect(request.headers.value(of: "Content-Type") == "application/json")
            #expect(request.headers.value(of: "KALSHI-ACCESS-KEY") == "key-123")
            #expect(request.headers.value(of: "KALSHI-ACCESS-TIMESTAMP") == "1735689600000")
            let signature = try #require(request.headers.value(of: "KALSHI-ACCESS-SIGNATURE"))
            #expect(Data(base64Encoded: signature)?.count == 256)
        }
    }

    /// A reply naming another order (here the recorded reply for `run1-edge-1`) must not move that other order:
    /// the update is for the order submitted. Found by the `kalshi-broker` fuzz target (docs/fuzzing.md).
    @Test func aReplyNamingAnotherOrderUpdatesTheOrderSubmitted() throws {
        try withBroker { harness, _ in
            harness.host.script(Self.ordersURL, responses: try Fixture.response("kalshi/order-resting.json", status: 201))
            let update = try harness.submit(order(harness, id: "run1-edge-2"))
            #expect(update.clientOrderID == "run1-edge-2")
            #expect(update.status == .new)
        }
    }

    @Test func mapsKalshiStatusesAndCounts() throws {
        try withBroker { harness, _ in
            harness.host.script(
                Self.ordersURL,
                responses: try Fixture.response("kalshi/order-partially-filled.json", status: 201),
                try Fixture.response("kalshi/order-executed.json", status: 201),
                try Fixture.response("kalshi/order-canceled-after-partial.json", status: 201))
            let partial = try harness.submit(order(harness, id: "a"))
            #expect(partial.status == .partiallyFilled)
            #expect(partial.filled == 2 && partial.remaining == 1)
            #expect(partial.averagePrice == 0.24)  // 48 cents over 2 contracts
            let executed = try harness.submit(order(harness, id: "b"))
            #expect(executed.status == .filled && executed.filled == 3 && executed.remaining == .zero)
            #expect(executed.averagePrice == 0.24)
            let canceled = try harness.submit(order(harness, outcome: .no, price: 0.3, id: "c"))
            #expect(canceled.status == .canceled && canceled.filled == 1 && canceled.remaining == .zero)
            let noBody = try #require(harness.host.httpRequests.last?.text)
            #expect(noBody.contains(#""side":"no""#) && noBody.contains(#""no_price":30"#))
            #expect(!noBody.contains("yes_price"))
        }
    }

    @Test func refusesOrdersKalshiCannotTakeWithoutSendingThem() throws {
        try withBroker { harness, _ in
            let cases: [(Order, String)] = [
                (order(harness, outcome: .none), "a kalshi order needs outcome yes or no"),
                (order(harness, price: nil), "kalshi-broker sends limit orders only; give a limit price"),
                (order(harness, price: 0.255), "limit price 0.255 is not a whole number of cents from 0.01 to 0.99"),
                (order(harness, price: 1), "limit price 1 is not a whole number of cents from 0.01 to 0.99"),
                (
                    order(harness, price: Fixed(raw: .max)),
                    "limit price 92233720368.54775807 is not a whole number of cents from 0.01 to 0.99"
                ),
                (order(harness, quantity: 1.5), "quantity 1.5 is not a whole number of contracts"),
            ]
            for (order, reason) in cases {
                let update = try harness.submit(order)
                #expect(update.status == .rejected)
                #expect(update.reason == reason)
            }
            #expect(harness.host.httpRequests.isEmpty)
        }
    }

    @Test func aRefusalIsARejectionWithKalshisReason() throws {
        try withBroker { harness, _ in
            harness.host.script(
                Self.ordersURL, responses: try Fixture.response("kalshi/error-invalid-price.json", status: 400),
                try Fixture.response("kalshi/error-rate-limited.json", status: 429))
            let update = try harness.submit(order(harness, id: "r1"))
            #expect(update.status == .rejected)
            #expect(update.reason == "HTTP 400: invalid_parameters: yes_price must be between 1 and 99")
            // A 429 that reaches the plugin was not processed: nothing rests at the venue.
            let limited = try harness.submit(order(harness, id: "r2"))
            #expect(limited.status == .rejected)
            #expect(limited.reason == "HTTP 429: too_many_requests: rate limit exceeded")
        }
    }

    @Test func anUnansweredOrderIsUnknownAndNeverResent() throws {
        try withBroker { harness, _ in
            harness.host.script(
                Self.ordersURL,
                .response(HTTPResponse(status: 0, transportError: "Operation timed out after 10000 milliseconds")),
                .failure(.retry, "kalshi order: gave up after 1 attempt(s) (timeout)"),
                .response(HTTPResponse(status: 502, text: "<html>bad gateway</html>")),
                .response(HTTPResponse(status: 201, text: #"{"order":{"order_id":"x""#)))
            for id in ["t1", "t2", "t3", "t4"] {
                let update = try harness.submit(order(harness, id: id))
                #expect(update.status == .unknown)
                #expect(update.clientOrderID == id)
            }
            #expect(harness.host.httpRequests.count == 4)  // one POST per order
            #expect(harness.host.logs.filter { $0.level == .warning }.count == 4)
        }
    }

    @Test func reconcilesAnUnknownOrderByListingItsMarket() throws {
        try withBroker { harness, _ in
            harness.host.script(Self.ordersURL, responses: HTTPResponse(status: 0, transportError: "timeout"))
            let unknown = try harness.submit(order(harness, id: "run1-edge-2"))
            #expect(unknown.status == .unknown)
            let listURL = "\(Self.ordersURL)?ticker=\(Self.ticker)&limit=100"
            harness.host.script(listURL, responses: try Fixture.response("kalshi/orders-list.json"))
            let found = try harness.query(clientOrderID: "run1-edge-2")
            #expect(found.status == .partiallyFilled)
            #expect(found.filled == 1 && found.remaining == 2)
            #expect(found.venueOrderID == "ee1c0d2a-7d1f-4c83-9d07-6f0f5b3a1c02")
            #expect(found.clientOrderID == "run1-edge-2")
            let query = try #require(harness.host.httpRequests.last)
            #expect(query.method == "GET" && query.headers.value(of: "KALSHI-ACCESS-SIGNATURE") != nil)

            // Now the venue id is known: the next query asks for the order directly.
            harness.host.script(
                "\(Self.ordersURL)/ee1c0d2a-7d1f-4c83-9d07-6f0f5b3a1c02",
                responses: try Fixture.response("kalshi/order-executed.json"))
            let filled = try harness.query(clientOrderID: "run1-edge-2")
            #expect(filled.status == .filled && filled.filled == 3)
            #expect(harness.host.httpRequests.filter { $0.method == "POST" }.count == 1)
        }
    }

    @Test func anOrderTheVenueNeverShowsIsRejectedAfterTheGracePeriod() throws {
        try withBroker(#","unknown_grace_seconds":30"#) { harness, _ in
            harness.host.script(Self.ordersURL, responses: HTTPResponse(status: 0, transportError: "timeout"))
            _ = try harness.submit(order(harness, id: "lost-1"))
            let listURL = "\(Self.ordersURL)?ticker=\(Self.ticker)&limit=100"
            let empty = HTTPResponse(status: 200, text: #"{"orders":[],"cursor":""}"#)
            harness.host.script(listURL, responses: empty, empty)
            let early = try harness.query(clientOrderID: "lost-1")
            #expect(early.status == .unknown)
            #expect(early.reason == "not yet visible at the venue")
            harness.host.advance(by: .seconds(31))
            let late = try harness.query(clientOrderID: "lost-1")
            #expect(late.status == .rejected)
            #expect(late.reason == "not found at the venue")
        }
    }

    @Test func searchesEveryPageAndStaysUnknownPastTheLast() throws {
        try withBroker(#","max_query_pages":2,"unknown_grace_seconds":0"#) { harness, _ in
            let first = "\(Self.ordersURL)?limit=100"
            harness.host.script(first, responses: HTTPResponse(status: 200, text: #"{"orders":[],"cursor":"p2"}"#))
            harness.host.script(
                first + "&cursor=p2", responses: HTTPResponse(status: 200, text: #"{"orders":[],"cursor":"p3"}"#))
            // Never sent by this instance (a restart forgot it): every order is searched, without a ticker.
            let update = try harness.query(clientOrderID: "from-before")
            #expect(update.status == .unknown)
            #expect(update.reason == "not among the first 2 page(s) of orders")
        }
    }

    @Test func aFailedLookupAsksTheHostToTryAgainLater() throws {
        try withBroker { harness, _ in
            harness.host.script(
                "\(Self.ordersURL)?limit=100",
                .response(HTTPResponse(status: 500, text: #"{"error":{"code":"internal","message":"oops"}}"#)),
                .failure(.retry, "gave up"))
            for _ in 0..<2 {
                let error = #expect(throws: HarnessError.self) { try harness.query(clientOrderID: "x") }
                #expect(error?.status == .retry)
            }
        }
    }

    @Test func readsTheKeyFromAFileAndKeepsItOutOfMessages() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let harness = try PluginHarness(
            KalshiBrokerPlugin.self, config: #"{"key_id":"secret-key-id","private_key":"\#(keys.privateKeyPath)"}"#)
        harness.host.script(Self.ordersURL, responses: try Fixture.response("kalshi/order-resting.json", status: 201))
        #expect(try harness.submit(order(harness)).status == .new)
        let pem = try keys.privatePEM()
        let keyLine = try #require(pem.split(separator: "\n").dropFirst().first)
        for record in harness.host.logs {
            let text = record.description
            #expect(!text.contains("secret-key-id") && !text.contains(keyLine) && !text.contains(keys.privateKeyPath))
        }

        let missing = #expect(throws: HarnessError.self) {
            try PluginHarness(KalshiBrokerPlugin.self, config: #"{"key_id":"k","private_key":"/nonexistent/key.pem"}"#)
        }
        #expect(missing?.status == .invalidConfig)
        #expect(missing?.message == "private_key: the PEM file it names cannot be read")
    }

    @Test func refusesAKeyThatIsNotAnUnencryptedRSAKey() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let encrypted = keys.directory.appending(path: "encrypted.pem").path
        try Tool.run([
            "openssl", "pkey", "-in", keys.privateKeyPath, "-aes256", "-passout", "pass:hunter2", "-out", encrypted,
        ])
        let ecKey = keys.directory.appending(path: "ec.pem").path
        try Tool.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecKey])
        let garbled = "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----"
        for (value, message) in [
            (try String(contentsOfFile: encrypted, encoding: .utf8), "private_key: not an unencrypted PEM private key"),
            (garbled, "private_key: not an unencrypted PEM private key"),
            (try String(contentsOfFile: ecKey, encoding: .utf8), "private_key: not an RSA key"),
        ] {
            let error = #expect(throws: HarnessError.self) {
                try PluginHarness(KalshiBrokerPlugin.self, config: #"{"key_id":"k","private_key":\#(jsonString(value))}"#)
            }
            #expect(error?.status == .invalidConfig)
            #expect(error?.message == message)
        }
    }
}
