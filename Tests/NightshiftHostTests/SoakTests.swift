import Foundation
import Testing

/// The short soak: `scripts/soak/soak.py` for 75 seconds with a fixed seed, under a private PostgreSQL — both bots
/// against the simulators while every fault kind is injected (5xx, 429, timeouts and garbage on the HTTP simulators,
/// stream drops, flaps and silence, PostgreSQL stopped hard, a plugin that throws, the host SIGKILLed and started
/// again). The driver's own checks are asserted here from its JSON summary: every accepted event stored exactly once
/// (bar a killed life's unstored tail, which is counted), no client_order_id sent twice, descriptors flat.
///
/// The fd tolerance is 3 per minute: descriptors come and go with reconnects and HTTP connections, and a short run
/// fits its slope over less than a minute per life; a leak of one descriptor per fault (about ten a minute here) still
/// fails it. Resident memory is reported by the driver but judged only in `make soak`'s longer runs.
@Suite struct SoakTests {
    @Test func theShortSoakKeepsEveryEventOnceAndSendsNoOrderTwice() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let summaryPath = directory.url.appendingPathComponent("summary.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "scripts/with-postgres.sh", "python3", "scripts/soak/soak.py", "--seconds", "75", "--seed", "20261203",
            "--bin", CLIProcess.binary, "--products", CLIProcess.productsDirectory.path,
            "--work", directory.url.appendingPathComponent("work").path, "--summary", summaryPath,
        ]
        process.currentDirectoryURL = CPluginBuilder.root
        let running = try CLIProcess.launch(process)
        let deadline = ContinuousClock.now + .seconds(240)
        while process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        if process.isRunning {
            Issue.record("the soak driver did not finish within 240 s")
            killpg(process.processIdentifier, SIGKILL)
        }
        let result = running.wait()
        let output = "\(result.stdout.suffix(3000))\n\(result.stderr.suffix(2000))"
        let data = try #require(FileManager.default.contents(atPath: summaryPath), "no summary: \(output)")
        let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(summary["events"] as? [String: Any])
        let sims = try #require(summary["sims"] as? [String: [String: Any]])
        let faults = try #require(summary["faults"] as? [String: Int])
        let fds = try #require(summary["fds"] as? [String: Any])

        // Exactly once: no duplicate row, no event printed twice, nothing missing but a killed life's unstored tail.
        #expect(events["accepted"] as? Int ?? 0 > 100, "\(output)")
        #expect(events["duplicate_rows"] as? Int == 0, "\(output)")
        #expect(events["printed_twice"] as? Int == 0, "\(output)")
        #expect(events["unexplained_missing"] as? Int == 0, "\(events)")
        #expect(summary["events_lost_reports"] as? Int == 0 && summary["spool_bytes_left"] as? Int == 0, "\(output)")
        // No order submitted twice, at either simulator, while orders did flow.
        #expect(sims["kalshi"]?["duplicate_submissions"] as? Int == 0, "\(output)")
        #expect(sims["alpaca_orders"]?["duplicates"] as? Int == 0, "\(output)")
        #expect((sims["kalshi"]?["orders"] as? Int ?? 0) + (sims["alpaca_orders"]?["orders"] as? Int ?? 0) > 0)
        // Every fault kind happened, the host was killed and came back, and the last life stopped gracefully.
        for kind in ["http_5xx", "http_429", "http_timeout", "http_garbage", "stream_drop", "stream_flap",
                     "stream_silence", "pg_stop", "host_kill", "plugin_throw"] {
            #expect((faults[kind] ?? 0) > 0, "\(kind) was not injected: \(faults)")
        }
        #expect((summary["lives"] as? [Any])?.count ?? 0 >= 2)
        #expect(summary["final_status"] as? Int == 0, "\(output)")
        // Descriptors flat within the documented tolerance.
        let slope = try #require(fds["per_minute"] as? Double)
        #expect(abs(slope) <= 3.0, "fd slope \(slope)/min: \(fds)")
        #expect(result.status == 0, "\(output)")
    }
}
