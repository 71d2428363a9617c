import Foundation
import NightshiftKit
import NightshiftKitTesting
import Testing

/// The weather bot's plugins as the runtime loads them: built shared libraries opened with `dlopen`.
@Suite struct WeatherPluginLibraryTests {
    private func schema(_ declaration: PluginHarness.Declaration) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(declaration.configSchema.utf8))
        return try #require(parsed as? [String: Any])
    }

    @Test func eachLibraryDeclaresItsKindWithTheHostsLayout() throws {
        let expected: [(product: String, poll: Bool, strategy: Bool, broker: Bool)] = [
            ("open-meteo-ensemble", true, false, false), ("kalshi-markets", true, false, false),
            ("kalshi-broker", false, false, true), ("weather-edge", false, true, false),
        ]
        for plugin in expected {
            let declaration = try LoadedPluginHarness.declaration(path: BuildProducts.swiftPlugin(plugin.product))
            #expect(declaration.name == plugin.product)
            #expect(declaration.layoutHash == PluginHarness.hostLayoutHash)
            #expect(declaration.isPollSource == plugin.poll && !declaration.isStreamSource)
            #expect(declaration.isStrategy == plugin.strategy && declaration.isBroker == plugin.broker)
            #expect(try schema(declaration)["additionalProperties"] as? Bool == false)
        }
    }

    @Test func theBrokerMarksItsCredentialsSecret() throws {
        let declaration = try LoadedPluginHarness.declaration(path: BuildProducts.swiftPlugin("kalshi-broker"))
        let properties = try #require(try schema(declaration)["properties"] as? [String: [String: Any]])
        #expect(properties["private_key"]?["secret"] as? Bool == true)
        #expect(properties["key_id"]?["secret"] as? Bool == true)
        #expect(properties["base_url"]?["secret"] == nil)
    }

    @Test func theLoadedBrokerSignsWithOpenSSL() throws {
        let keys = try TestKeyPair.generate()
        defer { keys.remove() }
        let harness = try LoadedPluginHarness.load(
            path: BuildProducts.swiftPlugin("kalshi-broker"),
            config: #"{"key_id":"k","private_key":"\#(keys.privateKeyPath)"}"#)
        harness.host.httpFallback = { _ in .response(HTTPResponse(status: 0, transportError: "timeout")) }
        let update = try harness.submit(
            Order(
                symbol: harness.host.symbol("KXHIGHNY-25JAN02-B42.5"), side: .buy, type: .limit, outcome: .yes,
                quantity: 1, limitPrice: 0.4, clientOrderID: "lib-1"))
        #expect(update.status == .unknown)
        let header = try #require(harness.host.httpRequests.first?.headers.value(of: "KALSHI-ACCESS-SIGNATURE"))
        let signature = Array(try #require(Data(base64Encoded: header)))
        #expect(try keys.opensslVerifies(message: "1735689600000POST/trade-api/v2/portfolio/orders", signature: signature))
    }
}
