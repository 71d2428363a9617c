import NightshiftKit
import NightshiftKitTesting
import SyntheticQuotes
import Testing

@Test func smoke() throws {
    let harness = try PluginHarness(SyntheticQuotesPlugin.self, config: #"{"quotes_per_cycle": 5}"#)
    try harness.runCycle()
    #expect(harness.host.emitted.count == 5)
}
