/// The generated Swift broker: fills orders in full at the last quote, remembering them for `query`.
extension SwiftKindTemplates {
    static let broker = SwiftKindTemplate(plugin: brokerPlugin, config: brokerConfig, tests: brokerTests)

    private static let brokerPlugin = ##"""
        import NightshiftKit

        /// A broker that fills each order in full at the last quote it has seen: buys at the ask, sells at the bid.
        ///
        /// Orders for a symbol without a quote, and limit orders that are not marketable, are rejected with a reason
        /// (nothing rests). Every order is remembered by its client order id, so a resubmission returns the first
        /// answer instead of trading twice and ``query(clientOrderID:)`` can reconcile. A broker for a real venue
        /// describes its requests through `context.http` and answers `.unknown` when a submission timed out.
        public struct {{Module}}Plugin: Broker {
            public static let info = PluginInfo(
                name: "{{name}}", version: "0.1.0",
                description: "Fills orders in full at the last seen quote.",
                configSchema: {{Module}}Config.schema)

            private let context: PluginContext
            private let venuePrefix: String
            private var quotes: [Symbol: (bid: Fixed, ask: Fixed)] = [:]
            private var orders: [String: OrderUpdate] = [:]
            private var sequence = 0

            public init(context: PluginContext) throws {
                let config = try context.config.decode({{Module}}Config.self)
                guard !config.venuePrefix.isEmpty else { throw PluginError.invalidConfig("venue_prefix must not be empty") }
                self.context = context
                venuePrefix = config.venuePrefix
            }

            public mutating func handle(events: EventBatch) throws {
                for event in events where event.kind == .quote && event.bid > .zero && event.ask >= event.bid {
                    quotes[event.symbol] = (event.bid, event.ask)
                }
            }

            public mutating func submit(_ order: Order) throws -> OrderUpdate {
                if let known = orders[order.clientOrderID] { return known }  // a resubmission never trades twice
                let update = fill(order, at: order.time ?? context.now)
                orders[order.clientOrderID] = update
                context.log.info(
                    "order \(order.clientOrderID) \(update.status)",
                    metadata: ["side": "\(order.side)", "quantity": .fixed(order.quantity), "reason": "\(update.reason ?? "")"])
                return update
            }

            public mutating func query(clientOrderID: String) throws -> OrderUpdate {
                orders[clientOrderID] ?? OrderUpdate(
                    symbol: .none, status: .rejected, time: context.now, clientOrderID: clientOrderID,
                    reason: "unknown client order id")
            }

            /// The answer to a new order.
            private mutating func fill(_ order: Order, at time: Timestamp) -> OrderUpdate {
                guard let quote = quotes[order.symbol] else {
                    return .rejected(order, reason: "no quote for this symbol yet", at: time)
                }
                let price = order.side == .buy ? quote.ask : quote.bid
                if let limit = order.limitPrice, order.side == .buy ? price > limit : price < limit {
                    return .rejected(order, reason: "limit \(limit) is not marketable at \(price)", at: time)
                }
                sequence += 1
                return OrderUpdate(
                    symbol: order.symbol, status: .filled, filled: order.quantity, remaining: .zero, averagePrice: price,
                    time: time, clientOrderID: order.clientOrderID, venueOrderID: "\(venuePrefix)-\(sequence)")
            }
        }

        """##

    private static let brokerConfig = ##"""
        import NightshiftKit

        /// The configuration, decoded from the instance's `config:` block (`snake_case` keys become `camelCase`).
        struct {{Module}}Config: Decodable {
            var venuePrefix: String

            /// The schema the host checks the deployment's `config:` block against before the plugin is created.
            static let schema = #"""
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "venue_prefix": {
                      "type": "string", "default": "{{name}}",
                      "description": "Prefix of the venue order ids this broker assigns."
                    }
                  }
                }
                """#
        }

        """##

    private static let brokerTests = ##"""
        import NightshiftKit
        import NightshiftKitTesting
        import Testing
        import {{Module}}

        /// The broker driven through its exported C table by `PluginHarness`, as the host's order router would.
        @Suite struct {{Module}}Tests {
            @Test func fillsAtTheTouchOnceItHasAQuote() throws {
                let harness = try PluginHarness({{Module}}Plugin.self, config: #"{"venue_prefix":"v"}"#)
                let symbol = harness.host.symbol("AAPL")
                let early = try harness.submit(.market(.buy, 1, of: symbol))
                #expect(early.status == .rejected)
                #expect(early.reason == "no quote for this symbol yet")

                try harness.send(quote: "AAPL", bid: 99.5, ask: 100.25)
                let buy = try harness.submit(.market(.buy, 3, of: symbol))
                #expect(buy.status == .filled && buy.filled == 3 && buy.remaining == .zero)
                #expect(buy.averagePrice == 100.25)
                #expect(buy.venueOrderID == "v-1")
                let sell = try harness.submit(.market(.sell, 1, of: symbol))
                #expect(sell.averagePrice == 99.5)
                #expect(try harness.query(clientOrderID: buy.clientOrderID) == buy)
            }

            @Test func rejectsALimitThatIsNotMarketable() throws {
                let harness = try PluginHarness({{Module}}Plugin.self)
                try harness.send(quote: "AAPL", bid: 99, ask: 101)
                let order = try harness.submit(.limit(.buy, 1, of: harness.host.symbol("AAPL"), at: 100))
                #expect(order.status == .rejected)
                #expect(order.reason == "limit 100 is not marketable at 101")
            }

            @Test func answersAResubmissionWithTheFirstAnswer() throws {
                let harness = try PluginHarness({{Module}}Plugin.self)
                try harness.send(quote: "AAPL", bid: 9, ask: 10)
                var order = Order.market(.buy, 1, of: harness.host.symbol("AAPL"))
                order.clientOrderID = "run-1"
                let first = try harness.submit(order)
                try harness.send(quote: "AAPL", bid: 19, ask: 20)
                #expect(try harness.submit(order) == first)
                let unknown = try harness.query(clientOrderID: "never-sent")
                #expect(unknown.status == .rejected && unknown.reason == "unknown client order id")
            }

            @Test func declaresItselfABroker() {
                let declaration = PluginHarness.declaration(of: {{Module}}Plugin.self)
                #expect(declaration.name == "{{name}}")
                #expect(declaration.isBroker && !declaration.isStrategy)
            }
        }

        """##
}
