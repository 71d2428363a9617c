import Foundation
import Testing
@testable import NightshiftConfig

@Suite struct ConfigLoaderTests {
    @Test func goodDeploymentLoadsEveryKey() throws {
        let credentials = try Fixtures.scratch(["quotes_key": "qk-123456789\n"])
        var deployment = try ConfigLoader.load(
            path: Fixtures.path("good.yaml"),
            environment: ["DATABASE_URL": "postgres://bot:s3cr%40t@127.0.0.1:5432/bot", "HOME": "/root"],
            credentialsDirectory: credentials, hostName: "ignored")
        let dir = Fixtures.directory
        #expect(deployment.directory == dir)
        #expect(deployment.host.name == "demo-1")
        #expect(deployment.host.pluginDirectories == [dir + "/.build/debug", "/opt/nightshift/plugins"])
        #expect(deployment.host.dataDirectory == dir + "/var")
        #expect(deployment.host.shutdownTimeout == .seconds(15))
        #expect(deployment.metrics == MetricsSettings(enabled: true, host: "127.0.0.1", port: 9464))
        #expect(deployment.events.store == .postgres)
        #expect(deployment.events.url == "postgres://bot:s3cr%40t@127.0.0.1:5432/bot")
        #expect(deployment.events.path == dir + "/var/events.sqlite")
        #expect(deployment.events.batchSize == 250)
        #expect(deployment.events.flushInterval == .milliseconds(150))
        #expect(deployment.events.queueCapacity == 4096)
        #expect(deployment.events.stdout == EventStoreSettings.StdoutFormat.none)

        let retry = deployment.defaults.retry
        #expect(retry.maxAttempts == 4 && retry.baseDelay == .milliseconds(250) && retry.multiplier == 1.5)
        #expect(retry.maxDelay == .seconds(20) && retry.jitter == .equal && retry.attemptTimeout == .seconds(5))
        #expect(retry.deadline == .seconds(120) && retry.budget.maxTokens == 20 && retry.budget.tokenRatio == 0.2)
        let reconnect = deployment.defaults.reconnect
        #expect(reconnect.baseDelay == .seconds(2) && reconnect.multiplier == 3 && reconnect.maxDelay == .seconds(60))
        #expect(reconnect.jitter == Jitter.none && reconnect.maxConsecutiveFailures == 7)
        #expect(reconnect.healthyAfter == .seconds(45) && reconnect.idleTimeout == .seconds(20))
        #expect(deployment.defaults.restart.maxRestarts == 3 && deployment.defaults.restart.within == .seconds(300))
        #expect(deployment.defaults.callDeadline == .seconds(8))

        #expect(deployment.risk.maxOrderQuantity == Decimal(100))
        #expect(deployment.risk.maxNotional == Decimal(string: "10000.50"))
        #expect(deployment.risk.maxPosition == Decimal(500))
        #expect(deployment.risk.maxOrdersPerMinute == 30)
        #expect(
            deployment.risk.tradingHours
                == TradingHours(
                    start: TimeOfDay(hour: 9, minute: 30), end: TimeOfDay(hour: 16, minute: 0),
                    timezone: "America/New_York"))
        #expect(deployment.risk.killSwitchFile == dir + "/var/KILL")

        #expect(deployment.instances.map(\.name) == ["quotes", "weather", "strategy", "paper"])
        let quotes = try #require(deployment.instance(named: "quotes"))
        #expect(quotes.plugin == .name("synthetic-quotes"))
        #expect(quotes.plugin.candidates(in: ["/a"]) == ["/a/libsynthetic-quotes.so", "/a/synthetic-quotes.so"])
        #expect(quotes.sha256 == "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        #expect(quotes.schedule == .every(.seconds(1)))
        // Overrides merge key by key over the defaults.
        #expect(quotes.retry.maxAttempts == 9 && quotes.retry.baseDelay == .milliseconds(250))
        #expect(quotes.keyMarks["schedule"] == Mark(file: Fixtures.path("good.yaml"), line: 32, column: 5))
        let weather = try #require(deployment.instance(named: "weather"))
        #expect(weather.plugin == .path(dir + "/plugins/libweather.so"))
        #expect(weather.schedule == .atHoursUTC([0, 6, 12, 18], lag: .seconds(4 * 3600 + 30 * 60)))
        #expect(weather.config == .emptyMapping(at: weather.mark))
        let strategy = try #require(deployment.instance(named: "strategy"))
        #expect(strategy.subscribe == ["quotes", "weather"] && strategy.routeTo == "paper")
        #expect(strategy.reconnect.maxDelay == .seconds(120) && strategy.reconnect.baseDelay == .seconds(2))
        #expect(strategy.callDeadline == .seconds(3))
        #expect(deployment.instance(named: "paper")?.restart.within == .seconds(30))
        #expect(deployment.instance(named: "paper")?.restart.maxRestarts == 3)

        // The credential and both spellings of the database password are secrets; HOME is not.
        #expect(deployment.secrets == ["qk-123456789", "s3cr%40t", "s3cr@t"])

        let schema = try ConfigSchema.parse(json: Fixtures.text("quotes.schema.json"), plugin: "synthetic-quotes")
        let config = try deployment.pluginConfig(for: "quotes", schema: schema)
        #expect(
            config.jsonText
                == #"{"symbols":["AAPL","MSFT"],"api_key":"qk-123456789","interval":3,"mode":"random-walk","spread":0.01,"verbose":false}"#
        )
        #expect(config.scalar(at: "symbols.1") == "MSFT")
        #expect(config.scalar(at: "interval") == "3")
        #expect(config.scalar(at: "symbols") == nil)
        #expect(deployment.secrets.contains("qk-123456789"))
    }

    @Test func defaultsApplyWhenSectionsAreAbsent() throws {
        let deployment = try ConfigLoader.load(
            text: "instances: []\n", file: "d.yaml", directory: "/srv/bot", environment: [:], hostName: "box")
        #expect(deployment.host.name == "box")
        #expect(deployment.host.pluginDirectories == ["/srv/bot"])
        #expect(deployment.host.dataDirectory == "/srv/bot/var")
        #expect(deployment.metrics == nil)
        #expect(deployment.events.store == .sqlite && deployment.events.path == "/srv/bot/var/events.sqlite")
        #expect(deployment.events.batchSize == 500 && deployment.events.stdout == .json)
        #expect(deployment.defaults == PolicyDefaults())
        #expect(deployment.risk.maxOrderQuantity == nil && deployment.risk.killSwitchFile == "/srv/bot/var/KILL")
        #expect(deployment.instances.isEmpty && deployment.secrets.isEmpty)
    }

    @Test func dataDirectoryMovesTheDefaultStoreAndKillSwitch() throws {
        let deployment = try ConfigLoader.load(
            text: "host: {data_dir: /var/lib/nightshift}\n", file: "d.yaml", directory: "/srv", environment: [:])
        #expect(deployment.events.path == "/var/lib/nightshift/events.sqlite")
        #expect(deployment.risk.killSwitchFile == "/var/lib/nightshift/KILL")
    }

    @Test func missingFileIsAnIOError() {
        let errors = Fixtures.errors("does-not-exist.yaml")
        #expect(errors.map(\.code) == [.io])
        #expect(errors.first?.description.hasSuffix("does-not-exist.yaml' does not exist") == true)
    }

    @Test func emptyFileIsReported() {
        #expect(loadErrors("").map(\.description) == ["d.yaml:1:1: error: the deployment file is empty"])
        #expect(
            loadErrors("- a\n").map(\.description) == [
                "d.yaml:1:1: error: the top level: expected a mapping, got a sequence"
            ])
    }
}
