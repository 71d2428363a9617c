import Foundation
import NightshiftTestSupport

/// The weather bot of `config/weather-bot.yaml`, pointed at the two simulators and run by the real host.
///
/// It is the shipped deployment's shape — kalshi-broker, open-meteo-ensemble, kalshi-markets and weather-edge, the
/// key id from `KALSHI_KEY_ID` and the private key from the `kalshi-private-key` credential — with short schedules
/// and retry delays so a run takes seconds. The Kalshi simulator lists one `KXHIGHNY` event for tomorrow (UTC),
/// priced around `kalshiCenter` °F; the Open-Meteo simulator's forecast starts today, so tomorrow is covered.
final class WeatherBotFixture {
    /// What a test varies: the simulators' faults and the bot's policies.
    struct Setup {
        var openMeteoArguments: [String] = []
        var kalshiArguments: [String] = []
        /// The centre of the simulated market prices. Far above any forecast high, the `T<low>` "below" market is
        /// worth about 1 to the ensemble while it asks a few cents: a sure trade.
        var kalshiCenter = 150
        var forecastsRetry = "{max_attempts: 4, base_delay: 50ms, max_delay: 200ms, deadline: 20s}"
        var marketsRetry = "{max_attempts: 4, base_delay: 50ms, max_delay: 200ms, deadline: 20s}"
        var forecastsTimeoutSeconds = 5
        /// Ticker suffixes (after the event) the strategy trades; each is one `ticker_prefix` mapping.
        var tradedMarkets = ["T145"]
        var timeInForce = "ioc"
        var orderSize = 2
        var maxContractsPerMarket = 2
    }

    let setup: Setup
    let directory: TemporaryDirectory
    let openMeteo: ScriptProcess
    let kalshi: ScriptProcess
    /// The simulated event, e.g. `KXHIGHNY-25JAN02`.
    let eventTicker: String
    let config: String
    private let keyID = "e2e-key-\(UUID().uuidString.prefix(8).lowercased())"

    init(_ setup: Setup) throws {
        self.setup = setup
        let directory = try TemporaryDirectory()
        self.directory = directory
        var started: [ScriptProcess] = []
        do {
            let now = Date(), tomorrow = now.addingTimeInterval(86_400)
            eventTicker = "KXHIGHNY-" + Self.tickerDate(tomorrow)
            let credentials = directory.url.appendingPathComponent("credentials")
            try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
            let privateKey = credentials.appendingPathComponent("kalshi-private-key").path
            let publicKey = directory.url.appendingPathComponent("kalshi-public.pem").path
            try Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey])
            try Self.openssl(["pkey", "-in", privateKey, "-pubout", "-out", publicKey])
            openMeteo = try ScriptProcess.start(
                "sims/open_meteo_sim.py", arguments: ["--today", Self.day(now)] + setup.openMeteoArguments)
            started.append(openMeteo)
            kalshi = try ScriptProcess.start(
                "sims/kalshi_sim.py",
                arguments: [
                    "--public-key", publicKey, "--key-id", keyID, "--series", "KXHIGHNY", "--date", Self.day(tomorrow),
                    "--center", String(setup.kalshiCenter),
                ] + setup.kalshiArguments)
            started.append(kalshi)
            config = try directory.write(
                "weather-bot.yaml",
                Self.deployment(
                    setup, data: directory.path + "/data", openMeteo: openMeteo.origin, kalshi: kalshi.origin,
                    event: eventTicker))
        } catch {
            for simulator in started { simulator.stop() }
            directory.remove()
            throw error
        }
    }

    /// The kill-switch file of the deployment (the default: `KILL` in the data directory).
    var killSwitchPath: String { directory.path + "/data/KILL" }

    /// The full ticker of a simulated market, e.g. `T145` → `KXHIGHNY-25JAN02-T145`.
    func ticker(_ suffix: String) -> String { "\(eventTicker)-\(suffix)" }

    /// Starts the host on the deployment for `duration` (e.g. `"6s"`).
    func run(for duration: String) throws -> HostRun {
        try HostRun.start(
            config: config, for: duration,
            environment: [
                "KALSHI_KEY_ID": keyID,
                "CREDENTIALS_DIRECTORY": directory.url.appendingPathComponent("credentials").path,
            ])
    }

    /// Stops both simulators and removes the files.
    func stop() {
        openMeteo.stop()
        kalshi.stop()
        directory.remove()
    }

    // MARK: - The deployment

    static func deployment(_ setup: Setup, data: String, openMeteo: String, kalshi: String, event: String) -> String {
        let mappings = setup.tradedMarkets.map { "        - {ticker_prefix: \(event)-\($0), location: NYC}" }
        return """
            host:
              name: weather-bot-e2e
              plugin_dirs: [\(CLIProcess.productsDirectory.path)]
              data_dir: \(data)
              shutdown_timeout: 10s
            events:
              store: sqlite
              stdout: json
            risk:
              max_order_qty: 10
              max_position: 25
              max_notional: 20
              max_orders_per_minute: 20
            instances:
              - name: kalshi
                plugin: kalshi-broker
                config:
                  base_url: \(kalshi)/trade-api/v2
                  key_id: ${KALSHI_KEY_ID}
                  private_key: ${credential:kalshi-private-key}
                  timeout_seconds: 1
                  unknown_grace_seconds: 30
              - name: forecasts
                plugin: open-meteo-ensemble
                schedule: {every: 500ms}
                retry: \(setup.forecastsRetry)
                config:
                  base_url: \(openMeteo)
                  models: gfs_seamless
                  variables: [temperature_2m]
                  forecast_days: 3
                  temperature_unit: fahrenheit
                  timeout_seconds: \(setup.forecastsTimeoutSeconds)
                  locations:
                    - {name: NYC, latitude: 40.7794, longitude: -73.9692, timezone: America/New_York}
              - name: markets
                plugin: kalshi-markets
                schedule: {every: 500ms}
                retry: \(setup.marketsRetry)
                config:
                  base_url: \(kalshi)/trade-api/v2
                  series_tickers: [KXHIGHNY]
                  status: open
              - name: edge
                plugin: weather-edge
                subscribe: [forecasts, markets]
                route_to: kalshi
                config:
                  markets:
            \(mappings.joined(separator: "\n"))
                  variable: temperature_2m
                  min_edge: 0.1
                  max_spread: 0.08
                  max_forecast_age_hours: 13
                  min_members: 25
                  order_size: \(setup.orderSize)
                  max_contracts_per_market: \(setup.maxContractsPerMarket)
                  time_in_force: \(setup.timeInForce)
                  blocked_log_interval_minutes: 60
            """
    }

    // MARK: - Helpers

    /// `YYYY-MM-DD` in UTC.
    static func day(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Kalshi's `YYMMMDD` ticker date in UTC, e.g. `25JAN02`.
    static func tickerDate(_ date: Date) -> String {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d", (parts.year ?? 0) % 100) + months[(parts.month ?? 1) - 1]
            + String(format: "%02d", parts.day ?? 0)
    }

    struct CommandError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the `openssl` command line tool; throws with its output when it fails.
    static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "openssl \(arguments.first ?? "") failed: \(text)")
        }
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()
}
