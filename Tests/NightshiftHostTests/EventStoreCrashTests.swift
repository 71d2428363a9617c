import Foundation
import Testing

/// The event log through the real host against a real PostgreSQL (a private server for this test alone): the store
/// stopped hard while events stream in, the host SIGKILLed with events in the spool, then both back: every spooled
/// event is in the store exactly once, in order.
@Suite struct EventStoreCrashTests {
    @Test func spooledEventsSurviveASIGKILLAndAStoreOutage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/ticker_plugin.c", name: "libticker")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            CPluginBuilder.root.appendingPathComponent("scripts/with-postgres.sh").path, "bash",
            CPluginBuilder.root.appendingPathComponent("Tests/NightshiftHostTests/Fixtures/spool_crash_scenario.sh").path,
            CLIProcess.binary, builder.directory.path, CLIProcess.productsDirectory.path, directory.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "scenario output: \(text)")
        var values: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let number = Int(parts[1].trimmingCharacters(in: .whitespaces)) { values[String(parts[0])] = number }
        }
        let rows = try #require(values["rows_run1"], "scenario output: \(text)")
        #expect(values["run2_status"] == 0)
        #expect(try #require(values["spool_bytes_at_kill"]) > 0, "events were in the spool when the host was killed")
        // More rows of the first run reached the store than it had when the store went down: the spool was replayed.
        #expect(rows > (values["before_stop"] ?? 0))
        // Exactly once and nothing missing: the sequence numbers are 1...rows without duplicates or gaps.
        #expect(values["distinct_seq_run1"] == rows)
        #expect(values["max_seq_run1"] == rows)
        #expect(values["out_of_order_run1"] == 0)
        // The outage was not silent: systemd's status line said so while the store was away.
        #expect(values["status_ready"] == 1)
        #expect(try #require(values["status_store_unavailable"]) >= 1)
    }
}
