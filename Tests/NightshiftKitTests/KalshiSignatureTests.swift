import Foundation
import KalshiBroker
import NightshiftKit
import NightshiftKitTesting
import Testing

/// The broker's `KALSHI-ACCESS-SIGNATURE`, checked by the `openssl` command line against a key pair made for the test.
@Suite struct KalshiSignatureTests {
    private func signature(of request: HTTPRequest) throws -> [UInt8] {
        let text = try #require(request.headers.value(of: "KALSHI-ACCESS-SIGNATURE"))
        return Array(try #require(Data(base64Encoded: text)))
    }

    @Test func opensslVerifiesTheSignatureOverTimestampMethodAndPath() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let base = "http://127.0.0.1:7/trade-api/v2"
        let harness = try PluginHarness(
            KalshiBrokerPlugin.self,
            config: #"{"key_id":"k","base_url":"\#(base)","private_key":\#(jsonString(try keys.privatePEM()))}"#)
        harness.host.setClock(to: Timestamp(nanosecondsSinceEpoch: 1_736_000_000_123_456_789))
        harness.host.httpFallback = { _ in .response(HTTPResponse(status: 0, transportError: "timeout")) }
        let order = Order(
            symbol: harness.host.symbol("KXHIGHNY-25JAN02-B42.5"), side: .buy, type: .limit, outcome: .yes,
            quantity: 1, limitPrice: 0.2, clientOrderID: "sig-1")
        _ = try harness.submit(order)
        // A query by list: its URL has a query string, which is not signed.
        _ = try? harness.query(clientOrderID: "sig-1")
        #expect(harness.host.httpRequests.count == 2)
        let post = harness.host.httpRequests[0]
        let get = harness.host.httpRequests[1]
        #expect(get.url.contains("?ticker=KXHIGHNY-25JAN02-B42.5&limit=100"))
        #expect(post.headers.value(of: "KALSHI-ACCESS-TIMESTAMP") == "1736000000123")

        let postMessage = "1736000000123POST/trade-api/v2/portfolio/orders"
        #expect(try keys.opensslVerifies(message: postMessage, signature: signature(of: post)))
        let getMessage = "1736000000123GET/trade-api/v2/portfolio/orders"
        #expect(try keys.opensslVerifies(message: getMessage, signature: signature(of: get)))

        // The same signature does not verify another method, path, timestamp, or a path with its query.
        let post64 = try signature(of: post)
        for other in [
            "1736000000123GET/trade-api/v2/portfolio/orders", "1736000000124POST/trade-api/v2/portfolio/orders",
            "1736000000123POST/portfolio/orders", "1736000000123POST/trade-api/v2/portfolio/orders?x=1",
        ] {
            #expect(try !keys.opensslVerifies(message: other, signature: post64))
        }
    }

    @Test func signaturesAreFreshPerRequest() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let harness = try PluginHarness(
            KalshiBrokerPlugin.self, config: #"{"key_id":"k","private_key":\#(jsonString(try keys.privatePEM()))}"#)
        harness.host.httpFallback = { _ in .response(HTTPResponse(status: 0, transportError: "timeout")) }
        for id in ["a", "b"] {
            let order = Order(
                symbol: harness.host.symbol("T-25JAN02-B1.5"), side: .sell, type: .limit, outcome: .no, quantity: 2,
                limitPrice: 0.55, clientOrderID: id)
            _ = try harness.submit(order)
        }
        let first = try signature(of: harness.host.httpRequests[0])
        let second = try signature(of: harness.host.httpRequests[1])
        // PSS is randomized: equal inputs give different signatures, each valid.
        #expect(first != second)
        let message = "1735689600000POST/trade-api/v2/portfolio/orders"
        #expect(try keys.opensslVerifies(message: message, signature: first))
        #expect(try keys.opensslVerifies(message: message, signature: second))
        #expect(harness.host.httpRequests[0].text.contains(#""action":"sell""#))
    }
}
