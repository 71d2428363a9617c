import Foundation
import Testing

/// Key material and database passwords stay out of every place a human or a machine reads: stdout, stderr (error
/// messages included), the event store and the HTML report — on the happy path and on the error paths that are most
/// tempted to echo what they could not parse or reach.
@Suite struct SecretExposureTests {
    /// Everything a run leaves behind, joined, for one search per secret.
    private static func exposure(_ results: [CLIProcess.Result], files: [String]) -> String {
        results.map { $0.stdout + "\n" + $0.stderr }.joined(separator: "\n")
            + files.compactMap { try? String(contentsOfFile: $0, encoding: .isoLatin1) }.joined(separator: "\n")
    }

    /// The store's rows and a report over them, as the CLI gives them.
    private static func readBack(
        _ config: String, _ directory: TemporaryDirectory, environment: [String: String] = [:]
    ) throws -> (rows: CLIProcess.Result, report: String) {
        let rows = try CLIProcess.run(
            ["events", "query", "--config", config, "--since", "1h", "--json", "--limit", "1000"], environment: environment)
        let report = directory.url.appendingPathComponent("report.html").path
        let written = try CLIProcess.run(["report", "--config", config, "--since", "1h", "-o", report], environment: environment)
        #expect(written.status == 0, "report: \(written.stderr)")
        return (rows, report)
    }

    @Test func theKalshiKeyNeverLeavesTheConfigEvenWhenItDoesNotParse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyID = "key-id-\(UUID().uuidString)"
        let keyFile = directory.url.appendingPathComponent("kalshi.pem").path
        let generated = Process()
        generated.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        generated.arguments = ["genrsa", "-out", keyFile, "2048"]
        generated.standardError = FileHandle.nullDevice
        try generated.run()
        generated.waitUntilExit()
        let pem = try String(contentsOfFile: keyFile, encoding: .utf8)
        // Lines of the key's body: any one of them in an output is a leak.
        let keyLines = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        #expect(keyLines.count > 20)
        let brokenBody = "c2VjcmV0LWJvZHk\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        let brokenFile = try directory.write("broken.pem", "-----BEGIN PRIVATE KEY-----\n\(brokenBody)\n-----END PRIVATE KEY-----\n")

        func deployment(_ key: String) -> String {
            """
            host: {plugin_dirs: [\(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data}
            instances:
              - name: kalshi
                plugin: kalshi-broker
                config:
                  base_url: http://127.0.0.1:9/trade-api/v2
                  key_id: ${KALSHI_KEY_ID}
                  private_key: "${file:\(key)}"
            """
        }
        let environment = ["KALSHI_KEY_ID": keyID]
        let broken = try directory.write("broken.yaml", deployment(brokenFile))
        let refused = try CLIProcess.run(["run", broken, "--for", "1s"], environment: environment)
        #expect(refused.status == 78, "a key that does not parse is a config error: \(refused.stderr)")
        #expect((refused.stdout + refused.stderr).contains("private_key"), "the error names the setting: \(refused.stdout)")
        let checked = try CLIProcess.run(["check", broken], environment: environment)

        let good = try directory.write("good.yaml", deployment(keyFile))
        let ran = try CLIProcess.run(["run", good, "--for", "1s"], environment: environment)
        #expect(ran.status == 0, "stderr: \(ran.stderr)")
        let (rows, report) = try Self.readBack(good, directory, environment: environment)
        #expect(rows.stdout.contains("host_started") && rows.stdout.contains("host_start_failed"))

        let everything = Self.exposure([refused, checked, ran, rows], files: [report] + ["", "-wal"].map {
            directory.path + "/data/events.sqlite" + $0
        })
        for secret in [keyID, brokenBody] + keyLines {
            #expect(!everything.contains(secret), "\(secret.prefix(12))… leaked")
        }
    }

    @Test func aDatabasePasswordStaysOutOfErrorsRowsAndTheReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let password = "pw-\(UUID().uuidString)"
        // The test server trusts local connections, so a password in the URL is accepted and unused: the path that
        // writes rows is exercised with the password in the configuration.
        let serverURL = try #require(ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_PG_URL"],
                                     "run the suite through scripts/with-postgres.sh")
        let url = serverURL.replacingOccurrences(of: "postgres@", with: "postgres:\(password)@")
        #expect(url.contains(password))
        func deployment(_ url: String) -> String {
            """
            host: {plugin_dirs: [\(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data}
            events: {store: postgres, url: "\(url)"}
            instances:
              - name: quotes
                plugin: synthetic-quotes
                schedule: {every: 200ms}
                config: {symbols: [AAPL]}
            """
        }
        let reachable = try directory.write("reachable.yaml", deployment(url))
        let ran = try CLIProcess.run(["run", reachable, "--for", "1s"])
        #expect(ran.status == 0, "stderr: \(ran.stderr)")
        let (rows, report) = try Self.readBack(reachable, directory)
        #expect(rows.stdout.contains("host_started"))

        // Nothing listens on port 9: every command that touches the store fails, naming the server without the password.
        let unreachable = try directory.write("unreachable.yaml", deployment("postgresql://nightshift:\(password)@127.0.0.1:9/events"))
        let failedRun = try CLIProcess.run(["run", unreachable, "--for", "1s"])
        let failedQuery = try CLIProcess.run(["events", "summary", "--config", unreachable, "--since", "1h"])
        #expect(failedQuery.status != 0)
        #expect(failedQuery.stderr.contains("127.0.0.1"), "the error names the server: \(failedQuery.stderr)")
        let checked = try CLIProcess.run(["check", unreachable])

        let everything = Self.exposure([ran, rows, failedRun, failedQuery, checked], files: [report])
        #expect(!everything.contains(password), "the database password leaked")
    }
}
