import NightshiftKit
import NightshiftKitTesting
import SyntheticQuotes
import Testing

@Suite struct BoundaryErrorTests {
    @Test(arguments: [
        (#"{"mode":"invalid"}"#, PluginStatus.invalidConfig, "mode says the config is unusable"),
        (#"{"mode":"decode"}"#, .invalidConfig, "mode: expected an integer"),
        (#"{"mode":"other"}"#, .fatal, "something else went wrong"),
        (#"{"count":"three"}"#, .invalidConfig, "count: expected an integer"),
    ])
    func createFailuresBecomeStatusAndMessage(config: String, status: PluginStatus, message: String) {
        let error = #expect(throws: HarnessError.self) { try PluginHarness(ProbePlugin.self, config: config) }
        #expect(error?.call == "create")
        #expect(error?.status == status)
        #expect(error?.message == message)
    }

    @Test func pluginConfigDecodeErrorsAreInvalidConfig() {
        let error = #expect(throws: HarnessError.self) {
            try PluginHarness(SyntheticQuotesPlugin.self, config: #"{"quotes_per_cycle":"ten"}"#)
        }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == "quotes_per_cycle: expected an integer")
        let validation = #expect(throws: HarnessError.self) {
            try PluginHarness(SyntheticQuotesPlugin.self, config: #"{"symbols":["A","A"]}"#)
        }
        #expect(validation?.status == .invalidConfig)
        #expect(validation?.message == "symbols repeat")
    }

    @Test(arguments: [
        ("retry", PluginStatus.retry, "try again later"),
        ("fatal", .fatal, "cannot go on"),
        ("other", .fatal, "something else went wrong"),
    ])
    func thrownErrorsBecomeStatusAndLastError(failWith: String, status: PluginStatus, message: String) throws {
        let harness = try PluginHarness(ProbePlugin.self, config: #"{"fail_with":"\#(failWith)"}"#)
        let error = #expect(throws: HarnessError.self) { try harness.send(quote: "X", bid: 1, ask: 2) }
        #expect(error?.call == "on_events")
        #expect(error?.status == status)
        #expect(error?.message == message)
        #expect(harness.lastError == message)
        let cycle = #expect(throws: HarnessError.self) { try harness.beginCycle() }
        #expect(cycle?.status == status)
    }

    @Test func lastErrorSurvivesLaterSuccessfulCalls() throws {
        let harness = try PluginHarness(ProbePlugin.self)
        #expect(throws: HarnessError.self) { try harness.receive(frame: "bye") }
        #expect(harness.lastError == "server said bye")
        try harness.receive(frame: "hello")
        #expect(harness.lastError == "server said bye")
        let query = #expect(throws: HarnessError.self) { try harness.query(clientOrderID: "missing") }
        #expect(query?.status == .fatal)
        #expect(harness.lastError == "no such order")
    }

    @Test func aFailingInstanceLeavesOthersAlone() throws {
        let failing = try PluginHarness(ProbePlugin.self, config: #"{"fail_with":"fatal"}"#)
        let healthy = try PluginHarness(ProbePlugin.self)
        #expect(throws: HarnessError.self) { try failing.send(quote: "X", bid: 1, ask: 2) }
        try healthy.send(quote: "X", bid: 1, ask: 2)
        #expect(healthy.lastError == "")
        // The probe is both strategy and broker, so the quote reached both consumers and each echoed it.
        #expect(healthy.host.emitted.count == 2)
    }

    @Test func missingCapabilitiesAreRefusedByTheHarness() throws {
        let harness = try PluginHarness(SyntheticQuotesPlugin.self)
        let error = #expect(throws: HarnessError.self) { try harness.send(quote: "X", bid: 1, ask: 2) }
        #expect(error?.code == .refused)
    }
}
