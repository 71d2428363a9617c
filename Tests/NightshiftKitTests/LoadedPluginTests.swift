import Foundation
import MeanReversion
import NightshiftKit
import NightshiftKitTesting
import PaperBroker
import SyntheticQuotes
import Testing

/// Plugins loaded from shared libraries with `dlopen`, as the runtime loads them.
@Suite struct CThresholdPluginTests {
    /// Compiles the C plugin, runs `body` with an instance, and removes the build directory.
    private func withCPlugin(config: String, _ body: (PluginHarness) throws -> Void) throws {
        let build = try BuildProducts.compileCThreshold()
        defer { try? FileManager.default.removeItem(at: build.directory) }
        try body(try LoadedPluginHarness.load(path: build.library, config: config))
    }

    @Test func declaresAStrategyWithTheHostsLayout() throws {
        let build = try BuildProducts.compileCThreshold()
        defer { try? FileManager.default.removeItem(at: build.directory) }
        let declaration = try LoadedPluginHarness.declaration(path: build.library)
        #expect(declaration.name == "c-threshold")
        #expect(declaration.version == "1.0.0")
        #expect(declaration.isStrategy && !declaration.isBroker && !declaration.isPollSource)
        #expect(declaration.layoutHash == PluginHarness.hostLayoutHash)
        #expect(declaration.abiMajor == 1)
        #expect(declaration.configSchema.contains(#""required":["symbol","below"]"#))
    }

    @Test func buysOncePerCrossingBelowThePrice() throws {
        try withCPlugin(config: #"{"symbol":"AAPL","below":99.5,"quantity":3}"#) { harness in
            try harness.send(quote: "AAPL", bid: 99.9, ask: 100)
            try harness.send(quote: "MSFT", bid: 1, ask: 2)
            #expect(harness.host.orders.isEmpty)

            try harness.send(quote: "AAPL", bid: 99.3, ask: 99.4)
            let order = try #require(harness.host.orders.first)
            #expect(order.side == .buy && order.type == .market && order.quantity == 3)
            #expect(harness.host.name(of: order.symbol) == "AAPL")
            #expect(order.reason == "ask 99.40000000 below 99.50000000")
            #expect(order.time == harness.host.now)

            try harness.send(quote: "AAPL", bid: 99.2, ask: 99.3)
            #expect(harness.host.orders.count == 1)  // still below: no second buy
            try harness.send(quote: "AAPL", bid: 99.5, ask: 99.6)
            try harness.send(quote: "AAPL", bid: 98.9, ask: 99)
            #expect(harness.host.orders.count == 2)  // re-armed above, crossed again

            let lines = harness.host.logs.filter { $0.level == .info }
            #expect(lines.count == 2)
            #expect(lines.first?.fields["symbol"] == "AAPL")
            #expect(lines.first?.fields["ask"] == "99.40000000")
            #expect(harness.host.violations.isEmpty)
        }
    }

    @Test func quantityDefaultsToOneAndRiskBlocksAreLogged() throws {
        try withCPlugin(config: #"{"symbol":"X","below":"10"}"#) { harness in
            harness.host.risk = { _ in "symbol X is not allowed" }
            try harness.send(quote: "X", bid: 8, ask: 9)
            #expect(harness.host.orders.isEmpty)
            #expect(harness.host.blockedOrders.first?.order.quantity == 1)
            let warning = try #require(harness.host.logs.first { $0.level == .warning && $0.eventType == nil })
            #expect(warning.message == "order not accepted: symbol X is not allowed")
            try harness.send(
                update: OrderUpdate(symbol: harness.host.symbol("X"), status: .rejected, clientOrderID: "x-1"))
            #expect(harness.host.logs.last?.message == "order rejected")
        }
    }

    @Test(arguments: [
        (#"{"below":1}"#, "symbol: required string is missing"),
        (#"{"symbol":"A"}"#, "below: required number is missing"),
        (#"{"symbol":"A","below":"cheap"}"#, #"below: expected a positive number, got "cheap""#),
        (#"{"symbol":"A","below":5,"quantity":-1}"#, #"quantity: expected a positive number, got "-1""#),
    ])
    func configErrorsAreInvalidConfig(config: String, message: String) throws {
        let build = try BuildProducts.compileCThreshold()
        defer { try? FileManager.default.removeItem(at: build.directory) }
        let error = #expect(throws: HarnessError.self) {
            try LoadedPluginHarness.load(path: build.library, config: config)
        }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == message)
    }
}

@Suite struct SwiftPluginLibraryTests {
    /// The built library for `product`; the products are built by `swift build` (or `swift build --product <name>`).
    private func library(_ product: String) throws -> String {
        let path = BuildProducts.swiftPlugin(product)
        try #require(
            FileManager.default.fileExists(atPath: path),
            "\(path) is missing: run `swift build --product \(product)` first")
        return path
    }

    @Test func syntheticQuotesRunsFromItsLibrary() throws {
        let harness = try LoadedPluginHarness.load(
            path: library("synthetic-quotes"), config: #"{"symbols":["LIB"],"quotes_per_cycle":4,"seed":5}"#)
        #expect(harness.declaration.name == "synthetic-quotes")
        #expect(harness.declaration.isPollSource)
        #expect(harness.declaration.layoutHash == PluginHarness.hostLayoutHash)
        try harness.runCycle()
        #expect(harness.host.emitted.count == 4)
        #expect(harness.host.emitted.allSatisfy { harness.host.name(of: $0.symbol) == "LIB" })

        // The library's series equals the in-process plugin's for the same seed.
        let inProcess = try PluginHarness(
            SyntheticQuotesPlugin.self, config: #"{"symbols":["LIB"],"quotes_per_cycle":4,"seed":5}"#)
        try inProcess.runCycle()
        #expect(inProcess.host.emitted == harness.host.emitted)
    }

    @Test func createErrorsCrossTheLibraryBoundary() throws {
        let error = #expect(throws: HarnessError.self) {
            try LoadedPluginHarness.load(path: library("synthetic-quotes"), config: #"{"seed":"x"}"#)
        }
        #expect(error?.status == .invalidConfig)
        #expect(error?.message == "seed: expected an integer")
    }

    @Test(arguments: [
        ("synthetic-quotes", PluginHarness.declaration(of: SyntheticQuotesPlugin.self)),
        ("mean-reversion", PluginHarness.declaration(of: MeanReversionPlugin.self)),
        ("paper-broker", PluginHarness.declaration(of: PaperBrokerPlugin.self)),
    ])
    func eachLibraryDeclaresWhatTheInProcessTypeDeclares(
        product: String, inProcess: PluginHarness.Declaration
    ) throws {
        #expect(try LoadedPluginHarness.declaration(path: library(product)) == inProcess)
    }

    @Test func severalLibrariesRunSideBySide() throws {
        let broker = try LoadedPluginHarness.load(
            path: library("paper-broker"), config: #"{"partial_fill_ratio":0.5}"#)
        let strategy = try LoadedPluginHarness.load(
            path: library("mean-reversion"), config: #"{"window":2,"threshold":0.05}"#)
        try broker.send(quote: "S", bid: 9, ask: 10)
        let update = try broker.submit(
            Order(symbol: broker.host.symbol("S"), side: .buy, quantity: 4, clientOrderID: "lib-1"))
        #expect(update.status == .partiallyFilled && update.filled == 2)
        try broker.send(quote: "S", bid: 9, ask: 10)
        #expect(broker.host.reportedUpdates.map(\.status) == [.filled])

        for mid in [100.0, 100, 80] {
            try strategy.send(quote: "S", bid: Fixed(mid - 0.5), ask: Fixed(mid + 0.5))
        }
        #expect(strategy.host.orders.map(\.side) == [.buy])
    }

    @Test func aMissingLibraryIsALoadError() {
        let error = #expect(throws: HarnessError.self) {
            try LoadedPluginHarness.load(path: "/nonexistent/libnothing.so")
        }
        #expect(error?.code == .load)
    }
}
