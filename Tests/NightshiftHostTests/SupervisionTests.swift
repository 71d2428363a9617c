import Foundation
import Testing

/// Plugin supervision through the real host: failures are contained and restarted within the intensity limit, then
/// escalated (exit 75); a call that overruns its deadline is reported and escalated.
@Suite struct SupervisionTests {
    static func deployment(_ directory: TemporaryDirectory, plugins: String, faulty: String, extra: String = "") -> String {
        """
        host: {plugin_dirs: [\(plugins), \(CLIProcess.productsDirectory.path)], data_dir: \(directory.path)/data, shutdown_timeout: 2s}
        defaults:
          restart: {max_restarts: 3, within: 60s}
        \(extra)
        instances:
          - name: quotes
            plugin: synthetic-quotes
            schedule: {every: 50ms}
            config: {symbols: [AAPL], quotes_per_cycle: 5}
          - name: faulty
            plugin: faulty
            subscribe: [quotes]
            config: \(faulty)
        """
    }

    static func types(_ stdout: String) -> [String] {
        RunCommandTests.events(stdout).compactMap { $0["type"] as? String }
    }

    @Test func aFailingPluginIsRestartedThenEscalated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/faulty_strategy_plugin.c", name: "libfaulty")
        let config = try directory.write("d.yaml", Self.deployment(directory, plugins: builder.directory.path, faulty: "{fail: true}"))
        let result = try CLIProcess.run(["run", config, "--for", "20s"])
        #expect(result.status == 75, "stderr: \(result.stderr)")
        let types = Self.types(result.stdout)
        #expect(types.filter { $0 == "plugin_restarted" }.count == 3)
        #expect(types.contains("plugin_escalated"))
        #expect(types.contains("host_escalated"))
        #expect(types.last == "host_stopped")
    }

    @Test func aStalledCallIsReportedAndEscalatedWithoutAWatchdog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/faulty_strategy_plugin.c", name: "libfaulty")
        let config = try directory.write("d.yaml", Self.deployment(
            directory, plugins: builder.directory.path, faulty: "{stall_ms: 3000}", extra: "  call_deadline: 500ms"))
        let result = try CLIProcess.run(["run", config, "--for", "20s"])
        #expect(result.status == 75, "stderr: \(result.stderr)")
        let events = RunCommandTests.events(result.stdout)
        let stalled = try #require(events.first { $0["type"] as? String == "plugin_stalled" })
        #expect(stalled["instance"] as? String == "faulty")
        #expect(Self.types(result.stdout).contains("host_escalated"))
    }
}
