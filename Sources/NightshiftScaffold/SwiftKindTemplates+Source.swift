/// The generated Swift poll source: fetches one JSON quote per cycle through the host and emits it.
extension SwiftKindTemplates {
    static let source = SwiftKindTemplate(plugin: sourcePlugin, config: sourceConfig, tests: sourceTests)

    private static let sourcePlugin = ##"""
        import NightshiftKit

        /// A poll source that fetches `{"bid": …, "ask": …}` from `url` once per cycle and emits it as a quote.
        ///
        /// The plugin never touches the network itself: it describes the request in ``nextRequest()`` and parses the
        /// answer in ``handle(response:)``; the host performs the request under the instance's retry policy. That
        /// keeps the plugin deterministic and testable with scripted responses. Adapt the request and the parsing
        /// to your data provider.
        public struct {{Module}}Plugin: PollSource {
            public static let info = PluginInfo(
                name: "{{name}}", version: "0.1.0",
                description: "Fetches a JSON quote over HTTP each cycle and emits it.",
                configSchema: {{Module}}Config.schema)

            /// The response body this source understands.
            struct Body: Decodable {
                var bid: Fixed
                var ask: Fixed
            }

            private let context: PluginContext
            private let config: {{Module}}Config
            private let symbol: Symbol
            /// Whether this cycle's request is still to be described.
            private var pending = false

            public init(context: PluginContext) throws {
                config = try context.config.decode({{Module}}Config.self)
                guard config.url.hasPrefix("http://") || config.url.hasPrefix("https://") else {
                    throw PluginError.invalidConfig("url must start with http:// or https://")
                }
                self.context = context
                symbol = context.symbol(config.symbol)
            }

            public mutating func beginCycle(at time: Timestamp) throws {
                pending = true
            }

            public mutating func nextRequest() throws -> HTTPRequest? {
                guard pending else { return nil }  // one request per cycle; nil ends the cycle
                pending = false
                return .get(config.url, label: "{{name}}")
            }

            public mutating func handle(response: HTTPResponse) throws {
                // A retry status makes the host retry the request under its policy, then skip the cycle.
                guard response.isSuccess else { throw PluginError.retry("HTTP \(response.status) from the quote endpoint") }
                let body: Body
                do {
                    body = try response.decode(Body.self)
                } catch {
                    throw PluginError.retry("the quote endpoint answered something that is not a quote")
                }
                guard body.bid > .zero, body.ask >= body.bid else {
                    context.log.warning("ignoring a crossed or empty quote", metadata: ["bid": .fixed(body.bid), "ask": .fixed(body.ask)])
                    return
                }
                try context.emit(.quote(symbol, bid: body.bid, ask: body.ask, at: context.now))
            }
        }

        """##

    private static let sourceConfig = ##"""
        import NightshiftKit

        /// The configuration, decoded from the instance's `config:` block (`snake_case` keys become `camelCase`).
        struct {{Module}}Config: Decodable {
            var url: String
            var symbol: String

            /// The schema the host checks the deployment's `config:` block against before the plugin is created.
            static let schema = #"""
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "url": {
                      "type": "string", "default": "http://127.0.0.1:8080/quote",
                      "description": "Where to fetch the quote from."
                    },
                    "symbol": {"type": "string", "default": "AAPL", "description": "The symbol the quote is for."}
                  }
                }
                """#
        }

        """##

    private static let sourceTests = ##"""
        import NightshiftKit
        import NightshiftKitTesting
        import Testing
        import {{Module}}

        /// The source driven through its exported C table by `PluginHarness`, with scripted HTTP responses.
        @Suite struct {{Module}}Tests {
            private let url = "http://127.0.0.1:8080/quote"

            @Test func turnsAResponseIntoAQuote() throws {
                let harness = try PluginHarness({{Module}}Plugin.self, config: #"{"symbol":"MSFT"}"#)
                harness.host.script(url, responses: HTTPResponse(status: 200, text: #"{"bid":99.5,"ask":100.25}"#))
                let requests = try harness.runCycle()
                #expect(requests.map(\.url) == [url])
                #expect(requests.first?.method == "GET")
                let quote = try #require(harness.host.emitted.first)
                #expect(harness.host.emitted.count == 1)
                #expect(quote.kind == .quote && quote.bid == 99.5 && quote.ask == 100.25)
                #expect(harness.host.name(of: quote.symbol) == "MSFT")
            }

            @Test func asksTheHostToRetryAServerError() throws {
                let harness = try PluginHarness({{Module}}Plugin.self)
                harness.host.script(url, responses: HTTPResponse(status: 503, text: "busy"))
                let error = #expect(throws: HarnessError.self) { try harness.runCycle() }
                #expect(error?.status == .retry)
                #expect(harness.host.emitted.isEmpty)
            }

            @Test func skipsACrossedQuote() throws {
                let harness = try PluginHarness({{Module}}Plugin.self)
                harness.host.script(url, responses: HTTPResponse(status: 200, text: #"{"bid":101,"ask":100}"#))
                try harness.runCycle()
                #expect(harness.host.emitted.isEmpty)
                #expect(harness.host.logs.contains { $0.level == .warning })
            }

            @Test func refusesAURLThatIsNotHTTP() {
                let error = #expect(throws: HarnessError.self) {
                    try PluginHarness({{Module}}Plugin.self, config: #"{"url":"ftp://127.0.0.1/quote"}"#)
                }
                #expect(error?.status == .invalidConfig)
            }

            @Test func declaresItselfAPollSource() {
                let declaration = PluginHarness.declaration(of: {{Module}}Plugin.self)
                #expect(declaration.name == "{{name}}")
                #expect(declaration.isPollSource && !declaration.isStrategy)
            }
        }

        """##
}
