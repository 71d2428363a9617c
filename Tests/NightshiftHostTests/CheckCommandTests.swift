import Foundation
import Testing

/// `nightshift check` on a corpus of bad deployments: each error names file:line:column and the exit code is 78.
@Suite struct CheckCommandTests {
    static let header = "host: {plugin_dirs: [\(CLIProcess.productsDirectory.path)]}\n"

    /// (case name, YAML after the header, expected "line:column", expected text in the message)
    static let corpus: [(String, String, String, String)] = [
        ("syntax error", "instances:\n  - name: a\n   plugin: [b\n", "", "error"),
        ("wrong type", "defaults:\n  retry:\n    max_attempts: many\n", ":4:19", "max_attempts"),
        ("unknown key", "defaults:\n  retry:\n    max_attemps: 3\n", ":4:5", "max_attempts"),
        ("missing env secret", "events:\n  store: postgres\n  url: ${NIGHTSHIFT_TEST_UNSET_URL}\n", ":4:8", "NIGHTSHIFT_TEST_UNSET_URL"),
        ("unknown plugin", "instances:\n  - name: a\n    plugin: no-such-plugin\n", ":3:5", "no-such-plugin"),
        ("plugin path outside plugin_dirs", "instances:\n  - name: a\n    plugin: /usr/lib/x86_64-linux-gnu/libyaml.so\n", ":3:5",
         "not inside a configured plugin directory"),
        ("schema violation", """
            instances:
              - name: q
                plugin: synthetic-quotes
                schedule: {every: 1s}
                config:
                  symbols: [AAPL]
                  quotes_per_cycle: lots
            """ + "\n", ":8:25", "quotes_per_cycle"),
        ("unknown key in plugin subtree", """
            instances:
              - name: q
                plugin: synthetic-quotes
                schedule: {every: 1s}
                config:
                  symbols: [AAPL]
                  seeed: 3
            """ + "\n", ":8:7", "seed"),
    ]

    @Test(arguments: corpus.map(\.0))
    func badDeploymentsExit78NamingThePlace(name: String) throws {
        let (_, body, place, text) = try #require(Self.corpus.first { $0.0 == name })
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("deployment.yaml", Self.header + body)
        let result = try CLIProcess.run(["check", path])
        #expect(result.status == 78, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stderr.contains("\(path)\(place)"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(text), "stderr: \(result.stderr)")
    }

    @Test func aGoodDeploymentPrintsThePlan() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("deployment.yaml", Self.header + """
            instances:
              - name: q
                plugin: synthetic-quotes
                schedule: {every: 1s}
                config: {symbols: [AAPL]}
              - name: paper
                plugin: paper-broker
                subscribe: [q]
            """)
        let result = try CLIProcess.run(["check", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("synthetic-quotes"))
        #expect(result.stdout.contains("subscribes q"))
    }

    /// The plan says where metrics are served and which lease the host competes for, never the database password.
    @Test func thePlanNamesMetricsAndTheLeaseButNotTheDatabasePassword() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let alone = try directory.write("alone.yaml", Self.header + "risk: {}\n")
        let plain = try CLIProcess.run(["check", alone])
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        #expect(plain.stdout.contains("metrics: off (no metrics: section)"))
        #expect(plain.stdout.contains("leadership: none (this host always leads)"))

        let path = try directory.write("paired.yaml", Self.header + """
            metrics: {listen: "0.0.0.0:9555"}
            leadership:
              database: postgresql://bot:plan-secret-pw@db.internal:5432/bot
              node: box-b
              lease: 15s
              standby: cold
            """ + "\n")
        let result = try CLIProcess.run(["check", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("metrics: http://0.0.0.0:9555 (/metrics, /healthz, /readyz; reachable beyond this machine)"))
        #expect(result.stdout.contains(#"leadership: lease "paired" as node "box-b", 15s renewed every 5s, cold standby"#))
        #expect(!result.stdout.contains("plan-secret-pw") && !result.stderr.contains("plan-secret-pw"))
    }
}

/// The shipped deployments for the real services pass `check` given their credentials, and name what is missing.
@Suite struct ShippedDeploymentTests {
    static let credentials = ["kalshi-key-id", "kalshi-private-key", "alpaca-key-id", "alpaca-secret", "database-url"]

    @Test(arguments: ["config/weather-bot.yaml", "config/stock-bot.yaml", "config/demo.yaml"])
    func passesCheckWithItsCredentials(file: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for id in Self.credentials {
            try directory.write(id, id == "database-url" ? "postgresql://bot:pw@127.0.0.1:5432/bot\n" : "dummy-\(id)\n")
        }
        let path = CPluginBuilder.root.appendingPathComponent(file).path
        let result = try CLIProcess.run(["check", path], environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("OK"))
    }

    @Test(arguments: ["config/weather-bot.yaml", "config/stock-bot.yaml"])
    func namesTheMissingCredentials(file: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = CPluginBuilder.root.appendingPathComponent(file).path
        let result = try CLIProcess.run(["check", path], environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(path):"))
        #expect(result.stderr.contains("credential"))
    }
}

/// Wiring that only the loaded plugins can judge: orders must go to a broker, subscriptions to a source.
@Suite struct WiringCheckTests {
    @Test func routeToMustNameABrokerAndSubscribeASource() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("deployment.yaml", CheckCommandTests.header + """
            instances:
              - name: quotes
                plugin: synthetic-quotes
                schedule: {every: 1s}
                config: {symbols: [AAPL]}
              - name: reversion
                plugin: mean-reversion
                subscribe: [quotes]
                route_to: quotes
                config: {symbols: [AAPL], window: 5, threshold: 0.01, quantity: 1, max_position: 5}
              - name: paper
                plugin: paper-broker
                subscribe: [reversion]
            """)
        let result = try CLIProcess.run(["check", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("route_to 'quotes' is not a broker"))
        #expect(result.stderr.contains("subscribes to 'reversion', which is not a source"))
        #expect(result.stderr.contains("\(path):"))
    }
}
