import Foundation
import Testing

/// Secrets from the environment, from files and from schema-marked config values never reach stdout or the store,
/// even when a plugin logs them on purpose.
@Suite struct SecretRedactionTests {
    @Test func aPluginLoggingItsSecretsIsRedactedEverywhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/secret_logger_plugin.c", name: "libsecret-logger")
        let fileSecret = "file-secret-\(UUID().uuidString)"
        let environmentSecret = "env-key-\(UUID().uuidString)"
        let plainSecret = "plain-token-\(UUID().uuidString)"
        let secretFile = try directory.write("token.txt", fileSecret + "\n")
        let config = try directory.write("deployment.yaml", """
            host: {plugin_dirs: [\(builder.directory.path)], data_dir: \(directory.path)/data}
            instances:
              - name: from-file
                plugin: secret-logger
                config: {token: "${file:\(secretFile)}"}
              - name: from-env
                plugin: secret-logger
                config: {token: "${NIGHTSHIFT_TEST_API_KEY}"}
              - name: from-schema
                plugin: secret-logger
                config: {token: \(plainSecret)}
            """)
        let result = try CLIProcess.run(["run", config, "--for", "1s"], environment: ["NIGHTSHIFT_TEST_API_KEY": environmentSecret])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("[REDACTED]"))
        let rows = try CLIProcess.run(
            ["events", "query", "--config", config, "--since", "1h", "--json", "--limit", "1000"],
            environment: ["NIGHTSHIFT_TEST_API_KEY": environmentSecret])
        #expect(rows.status == 0)
        #expect(rows.stdout.contains("[REDACTED]"))
        // The raw database files too (a WAL file may hold rows not yet checkpointed).
        let database = ["", "-wal"].compactMap {
            try? String(contentsOfFile: directory.path + "/data/events.sqlite" + $0, encoding: .isoLatin1)
        }.joined()
        for secret in [fileSecret, environmentSecret, plainSecret] {
            #expect(!result.stdout.contains(secret))
            #expect(!result.stderr.contains(secret))
            #expect(!rows.stdout.contains(secret))
            #expect(!database.contains(secret))
        }
    }
}
