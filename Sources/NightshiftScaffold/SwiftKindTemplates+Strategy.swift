/// The generated Swift strategy: buys when a symbol's ask drops below a price, once per crossing.
extension SwiftKindTemplates {
    static let strategy = SwiftKindTemplate(plugin: strategyPlugin, config: strategyConfig, tests: strategyTests)

    private static let strategyPlugin = ##"""
        import NightshiftKit

        /// A strategy that buys `quantity` of `symbol` when its ask drops below `below`, once per crossing.
        ///
        /// After a buy it waits until the ask is back at or above `below` before it may buy again. Replace the rule in
        /// ``handle(events:)`` with your own: the host calls an instance from one thread at a time, so plain mutable
        /// state is fine, and everything the plugin needs from the host comes through its ``PluginContext``.
        public struct {{Module}}Plugin: Strategy {
            public static let info = PluginInfo(
                name: "{{name}}", version: "0.1.0",
                description: "Buys when a symbol's ask drops below a price, once per crossing.",
                configSchema: {{Module}}Config.schema)

            private let context: PluginContext
            private let config: {{Module}}Config
            private let symbol: Symbol
            /// Whether the next crossing may buy: a buy disarms, an ask back at or above `below` re-arms.
            private var armed = true

            public init(context: PluginContext) throws {
                // Schema defaults are filled in before decoding; a missing required key throws invalidConfig (exit 78).
                config = try context.config.decode({{Module}}Config.self)
                guard config.quantity > .zero else { throw PluginError.invalidConfig("quantity must be positive") }
                self.context = context
                symbol = context.symbol(config.symbol)
            }

            public mutating func handle(events: EventBatch) throws {
                for event in events where event.kind == .quote && event.symbol == symbol && event.ask > .zero {
                    if event.ask >= config.below {
                        armed = true
                        continue
                    }
                    guard armed else { continue }
                    armed = false
                    let reason = "ask \(event.ask) below \(config.below)"
                    do {
                        try context.submit(.market(.buy, config.quantity, of: symbol, reason: reason, at: event.time))
                        context.log.info(
                            "buy \(config.quantity) \(config.symbol): \(reason)",
                            metadata: ["symbol": "\(config.symbol)", "ask": .fixed(event.ask)])
                    } catch {
                        // A risk limit blocked the order; the host has recorded a trade_blocked event. Keep running.
                        context.log.warning("buy not accepted: \(error)")
                    }
                }
            }

            public mutating func handle(update: OrderUpdate) throws {
                context.log.debug("order \(update.clientOrderID) is \(update.status)", metadata: ["filled": .fixed(update.filled)])
            }
        }

        """##

    private static let strategyConfig = ##"""
        import NightshiftKit

        /// The configuration, decoded from the instance's `config:` block (`snake_case` keys become `camelCase`).
        struct {{Module}}Config: Decodable {
            var symbol: String
            var below: Fixed
            var quantity: Fixed

            /// The schema the host checks the deployment's `config:` block against before the plugin is created.
            static let schema = #"""
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["symbol"],
                  "properties": {
                    "symbol": {"type": "string", "description": "The instrument to watch, e.g. AAPL."},
                    "below": {
                      "type": "number", "minimum": 0, "default": 99.5,
                      "description": "Buy when the ask is strictly below this price."
                    },
                    "quantity": {"type": "number", "minimum": 0, "default": 1, "description": "Quantity per order."}
                  }
                }
                """#
        }

        """##

    private static let strategyTests = ##"""
        import NightshiftKit
        import NightshiftKitTesting
        import Testing
        import {{Module}}

        /// The strategy driven through its exported C table by `PluginHarness`, as the host would drive it.
        @Suite struct {{Module}}Tests {
            private let config = #"{"symbol":"AAPL","below":100,"quantity":2}"#

            @Test func buysOncePerCrossing() throws {
                let harness = try PluginHarness({{Module}}Plugin.self, config: config)
                try harness.send(quote: "AAPL", bid: 100, ask: 101)
                #expect(harness.host.orders.isEmpty)

                try harness.send(quote: "AAPL", bid: 98, ask: 99)
                let order = try #require(harness.host.orders.first)
                #expect(order.side == .buy && order.type == .market && order.quantity == 2)
                #expect(harness.host.name(of: order.symbol) == "AAPL")
                #expect(order.reason == "ask 99 below 100")

                try harness.send(quote: "AAPL", bid: 97, ask: 98)
                #expect(harness.host.orders.count == 1)  // still below: no second buy
                try harness.send(quote: "AAPL", bid: 100, ask: 100.5)
                try harness.send(quote: "AAPL", bid: 98, ask: 99)
                #expect(harness.host.orders.count == 2)  // crossed again
            }

            @Test func ignoresOtherSymbols() throws {
                let harness = try PluginHarness({{Module}}Plugin.self, config: config)
                try harness.send(quote: "MSFT", bid: 1, ask: 2)
                #expect(harness.host.orders.isEmpty)
            }

            @Test func keepsRunningWhenARiskLimitBlocksAnOrder() throws {
                let harness = try PluginHarness({{Module}}Plugin.self, config: config)
                harness.host.risk = { _ in "max position reached" }
                try harness.send(quote: "AAPL", bid: 98, ask: 99)
                #expect(harness.host.orders.isEmpty)
                #expect(harness.host.logs.contains { $0.level == .warning && $0.message.contains("max position reached") })
            }

            @Test func refusesAConfigurationWithoutASymbol() {
                let error = #expect(throws: HarnessError.self) { try PluginHarness({{Module}}Plugin.self, config: "{}") }
                #expect(error?.status == .invalidConfig)
                #expect(error?.message.contains("symbol") == true)
            }

            @Test func declaresItselfAStrategy() {
                let declaration = PluginHarness.declaration(of: {{Module}}Plugin.self)
                #expect(declaration.name == "{{name}}")
                #expect(declaration.isStrategy && !declaration.isBroker)
                #expect(declaration.layoutHash == PluginHarness.hostLayoutHash)
            }
        }

        """##
}
