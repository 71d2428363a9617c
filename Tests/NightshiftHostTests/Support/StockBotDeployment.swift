import Foundation
import NightshiftTestSupport

/// The stock bot — alpaca-stream → quote-momentum → alpaca-broker — as a deployment file against the two Alpaca
/// simulators, with small delays so a fault plays out within seconds.
///
/// Every knob is the YAML text of its section, so a test reads like the deployment it runs.
struct StockBotDeployment {
    /// The credentials the simulators expect; the secret must never appear in the host's output.
    static let keyID = "e2e-key-id"
    static let secret = "e2e-secret-5b1f0c9d"

    /// The simulator arguments that make them expect ``keyID`` and ``secret``.
    static let credentialArguments = ["--key", keyID, "--secret", secret]

    let streamPort: Int
    let ordersPort: Int
    var retry = "{max_attempts: 3, base_delay: 50ms, max_delay: 200ms, attempt_timeout: 2s, deadline: 5s}"
    var reconnect =
        "{base_delay: 50ms, max_delay: 200ms, healthy_after: 5s, idle_timeout: 2s, max_consecutive_failures: 10}"
    /// The broker instance's own retry override, if any.
    var brokerRetry: String?
    var risk = "{}"
    /// The symbols whose quotes the stream subscribes to; the strategies trade every one of them.
    var quotes = ["AAPL", "MSFT"]
    /// How long an order the venue does not know after an unknown submit stays unknown.
    var notFoundGraceSeconds = 0
    /// Strategy instances: name and config, each subscribed to the stream and routed to the broker.
    var strategies: [(name: String, config: String)] = [("momentum", momentum())]

    /// A quote-momentum configuration that trades within a second of quotes, on every quoted symbol.
    static func momentum(
        quantity: Int = 1, maxPosition: Int = 3, maxSpreadBps: Int = 10, thresholdBps: Double = 0.5
    ) -> String {
        "{window: 5, threshold_bps: \(thresholdBps), max_spread_bps: \(maxSpreadBps), "
            + "quantity: \(quantity), max_position: \(maxPosition), blocked_event_interval_seconds: 0}"
    }

    /// The deployment file's text.
    func yaml(dataDirectory: String) -> String {
        var text = """
            host:
              name: stock-e2e
              plugin_dirs: [\(CLIProcess.productsDirectory.path)]
              data_dir: \(dataDirectory)
              shutdown_timeout: 5s
            events:
              store: sqlite
              stdout: json
            defaults:
              retry: \(retry)
              reconnect: \(reconnect)
            risk: \(risk)
            instances:
              - name: alpaca-orders
                plugin: alpaca-broker

            """
        if let brokerRetry { text += "    retry: \(brokerRetry)\n" }
        text += """
                config:
                  base_url: http://127.0.0.1:\(ordersPort)
                  key_id: \(Self.keyID)
                  secret: \(Self.secret)
                  not_found_grace_seconds: \(notFoundGraceSeconds)
              - name: iex
                plugin: alpaca-stream
                config:
                  feed: iex
                  base_url: ws://127.0.0.1:\(streamPort)/v2
                  key_id: \(Self.keyID)
                  secret: \(Self.secret)
                  quotes: [\(quotes.joined(separator: ", "))]

            """
        for strategy in strategies {
            text += """
                  - name: \(strategy.name)
                    plugin: quote-momentum
                    subscribe: [iex]
                    route_to: alpaca-orders
                    config: \(strategy.config)

                """
        }
        return text
    }

    /// Runs the deployment with `nightshift run --for <duration>` and collects its events.
    func run(for duration: String) throws -> StockBotRun {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("stock-bot.yaml", yaml(dataDirectory: directory.path + "/data"))
        let result = try CLIProcess.run(["run", path, "--for", duration])
        return StockBotRun(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// Runs `body` with the Alpaca stream and orders simulators started with the given fault flags.
func withAlpacaSims<T>(
    stream: [String] = [], orders: [String] = [],
    _ body: (_ stream: ScriptProcess, _ orders: ScriptProcess) throws -> T
) throws -> T {
    let credentials = StockBotDeployment.credentialArguments
    let sims = [("sims/alpaca_stream_sim.py", credentials + stream), ("sims/alpaca_orders_sim.py", credentials + orders)]
    return try withScripts(sims) { try body($0[0], $0[1]) }
}
