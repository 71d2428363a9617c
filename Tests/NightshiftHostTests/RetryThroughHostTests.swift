import Foundation
import NightshiftTestSupport
import Testing

/// The retry wrapper as plugins get it: a poll source's requests performed by the host's libcurl against a real
/// HTTP server that fails, rate-limits, or never recovers.
@Suite struct RetryThroughHostTests {
    /// Runs a deployment with one `http-poll` source fetching `path` from a fresh peer; returns the host's events.
    func run(path: String, retry: String, schedule: String = "{every: 10s}", duration: String = "3s") throws -> [[String: Any]] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/http_poll_plugin.c", name: "libhttp-poll")
        return try withScript("peers/http_peer.py") { peer in
            let config = try directory.write("d.yaml", """
                host: {plugin_dirs: [\(builder.directory.path)], data_dir: \(directory.path)/data}
                defaults:
                  retry: \(retry)
                instances:
                  - name: fetcher
                    plugin: http-poll
                    schedule: \(schedule)
                    config: {url: "http://127.0.0.1:\(peer.port)\(path)"}
                """)
            let result = try CLIProcess.run(["run", config, "--for", duration])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return RunCommandTests.events(result.stdout)
        }
    }

    func fields(_ events: [[String: Any]], _ type: String) -> [[String: Any]] {
        events.filter { $0["type"] as? String == type }.compactMap { $0["fields"] as? [String: Any] }
    }

    @Test func aServerThatFailsTwiceThenRecoversIsRetriedTwice() throws {
        let events = try run(path: "/flaky?key=\(UUID().uuidString)&fails=2", retry: "{max_attempts: 5, base_delay: 10ms, max_delay: 50ms}")
        let failures = fields(events, "attempt_failed")
        #expect(failures.map { $0["attempt"] as? Int } == [1, 2])
        #expect(failures.allSatisfy { ($0["error"] as? String)?.contains("503") == true && $0["label"] as? String == "fetch" })
        #expect(failures.allSatisfy { ($0["delay_ms"] as? Int ?? -1) <= 50 })
        #expect(fields(events, "fetched").map { $0["status"] as? Int } == [200])
        #expect(fields(events, "retry_exhausted").isEmpty)
        #expect(fields(events, "cycle_skipped").isEmpty)
    }

    @Test func retryAfterIsHonouredAndTheLastAttemptIsNotFollowedByASleep() throws {
        let events = try run(path: "/ratelimited?after=1", retry: "{max_attempts: 2, base_delay: 10ms, max_delay: 50ms}")
        let failures = fields(events, "attempt_failed")
        // The server's Retry-After (1 s) wins over the policy's 10–50 ms backoff.
        #expect(failures.map { $0["delay_ms"] as? Int } == [1000])
        #expect(failures.first?["error"] as? String == "HTTP 429")
        let exhausted = fields(events, "retry_exhausted")
        #expect(exhausted.map { $0["reason"] as? String } == ["attempts_exhausted"])
        #expect(exhausted.first?["attempts"] as? Int == 2)
        #expect(fields(events, "cycle_skipped").count == 1)
        #expect(fields(events, "fetched").isEmpty)
    }

    @Test func exhaustedCyclesAreSkippedAndTheNextCycleRunsOnSchedule() throws {
        let events = try run(
            path: "/flaky?key=\(UUID().uuidString)&fails=1000", retry: "{max_attempts: 2, base_delay: 10ms, max_delay: 10ms}",
            schedule: "{every: 500ms}", duration: "1600ms")
        let skipped = fields(events, "cycle_skipped")
        #expect(skipped.count >= 2)
        #expect(skipped.allSatisfy { $0["reason"] as? String == "retries_exhausted" })
        #expect(fields(events, "retry_exhausted").count == skipped.count)
    }

    @Test func aClientErrorIsNotRetriedAndGoesToThePlugin() throws {
        let events = try run(path: "/missing", retry: "{max_attempts: 5, base_delay: 10ms}")
        #expect(fields(events, "attempt_failed").isEmpty)
        #expect(fields(events, "fetched").map { $0["status"] as? Int } == [404])
    }
}
