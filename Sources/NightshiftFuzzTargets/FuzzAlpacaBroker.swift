import AlpacaBroker
import NightshiftKitTesting

/// The Alpaca broker plugin's order-reply decoder (submit and query), see `BrokerFuzzing.run`.
func fuzzAlpacaBroker(_ data: UnsafeRawBufferPointer) {
    let harness = PluginFuzzing.harness(AlpacaBrokerPlugin.self, config: #"{"key_id":"AKFUZZ","secret":"fuzz-secret"}"#)
    BrokerFuzzing.run(harness, ticker: "AAPL", outcome: .none, data)
}
