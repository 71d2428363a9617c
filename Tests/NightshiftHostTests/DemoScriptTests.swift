import Foundation
import NightshiftTestSupport
import Testing

/// The README's promise for `make demo`, kept honest: `scripts/demo.sh` runs both bots against the simulators with
/// faults on, prints one readable line per event, and ends with a morning summary in which every layer of failure
/// handling shows up; then no simulator is left running.
@Suite struct DemoScriptTests {
    /// The event types the summary must always show, whatever the machine's speed.
    static let promised = [
        "attempt_failed", "stream_disconnected", "stream_connected", "order_unknown", "order_reconciled",
        "trade_executed", "trade_blocked",
    ]

    @Test func theDemoEndsWithAMorningSummaryShowingEveryLayer() throws {
        let result = try Self.runDemo(duration: "8s", limit: .seconds(180))
        #expect(result.status == 0, "\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")

        let parts = result.stdout.components(separatedBy: "== the morning summary")
        try #require(parts.count == 2, "\(result)")
        var counts: [String: Int] = [:]
        for line in parts[1].split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 2, let count = Int(words[1]) { counts[String(words[0])] = count }
        }
        for type in Self.promised {
            #expect((counts[type] ?? 0) > 0, "\(type) is missing from the summary:\(parts[1])")
        }
        #expect((counts["cycle_skipped"] ?? 0) + (counts["retry_exhausted"] ?? 0) > 0, "\(parts[1])")

        // The run is shown as text lines, not JSON, and no key material is printed.
        let runSection = parts[0].components(separatedBy: "== nightshift run").last ?? ""
        #expect(runSection.contains("stream_disconnected") && !runSection.contains("{\"id\""), "\(runSection)")
        #expect(!result.stdout.contains("PRIVATE KEY") && !result.stderr.contains("PRIVATE KEY"))

        // Every simulator the script started was stopped on the way out.
        let ports = parts[0].split(separator: "\n").compactMap { line -> Int? in
            guard let colon = line.firstIndex(of: ":"), line.hasPrefix("   ") else { return nil }
            return Int(line[line.index(after: colon)...].prefix { $0.isNumber })
        }
        #expect(ports.count == 4, "\(parts[0])")
        for port in ports {
            #expect(!ScriptProcess.acceptsConnections(port: port), "a simulator still listens on \(port)")
        }
    }

    // MARK: - Running the script

    /// Runs `scripts/demo.sh` from the repository root with `DEMO_DURATION=<duration>`.
    ///
    /// The wait is bounded: should the script hang, its whole process group — the script and the simulators it
    /// started, in the group the child was given — is killed after `limit`, and the test fails.
    static func runDemo(duration: String, limit: Duration) throws -> CLIProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", "scripts/demo.sh"]
        process.currentDirectoryURL = CPluginBuilder.root
        var environment = ProcessInfo.processInfo.environment
        environment["DEMO_DURATION"] = duration
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "WATCHDOG_USEC")
        process.environment = environment
        let running = try CLIProcess.launch(process)
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        if process.isRunning {
            Issue.record("scripts/demo.sh did not finish within \(limit)")
            killpg(process.processIdentifier, SIGKILL)
        }
        return running.wait()
    }
}
