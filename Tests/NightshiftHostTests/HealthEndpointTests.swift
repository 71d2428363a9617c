import Foundation
import NightshiftConfig
import NightshiftTestSupport
import Synchronization
import Testing
@testable import NightshiftHost

/// `/healthz` over a real endpoint, fed through the runtime's hooks exactly as the monitor loop feeds them: a loop
/// that goes silent past the limit fails it and the next beat heals it; the limit follows the systemd watchdog.
@Suite struct HealthEndpointTests {
    @Test func aSilentMonitorLoopFailsHealthzUntilItBeatsAgain() throws {
        let metrics = HostMetrics(version: "test", abi: "1.0", heartbeatLimit: .seconds(2), storeTrouble: { nil })
        let endpoint = try MetricsEndpoint(MetricsSettings(port: 0), metrics: metrics)
        defer { endpoint.stop() }
        let hooks = metrics.hooks(wrapping: Runtime.Hooks())
        let probe = MetricsProbe(port: endpoint.server.port)
        #expect(try probe.get("/healthz").text == "starting: the monitor loop has not run yet\n")

        // A stand-in for the monitor loop's 250 ms turns, beating every 50 ms while `beating` holds.
        let beating = Atomic<Bool>(true), running = Atomic<Bool>(true)
        let loop = Thread {
            while running.load(ordering: .relaxed) {
                if beating.load(ordering: .relaxed) { hooks.heartbeat() }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        loop.start()
        defer { running.store(false, ordering: .relaxed) }
        #expect(try probe.poll("/healthz") { $0.status == 200 }.text == "ok\n")
        #expect(try probe.scrape().value("nightshift_up") == 1)

        beating.store(false, ordering: .relaxed)
        let silent = try probe.poll("/healthz") { $0.status == 503 }
        #expect(silent.status == 503)
        #expect(silent.text.hasPrefix("monitor loop silent for ") && silent.text.hasSuffix(" (limit 2000 ms)\n"),
                "\(silent.text)")
        #expect(try probe.scrape().value("nightshift_up") == 0)

        beating.store(true, ordering: .relaxed)
        #expect(try probe.poll("/healthz") { $0.status == 200 }.text == "ok\n")
        #expect(try probe.scrape().value("nightshift_up") == 1)
    }

    /// Five seconds, or half the watchdog interval when shorter: `/healthz` fails before systemd's watchdog fires.
    @Test(arguments: [
        (nil, Duration.seconds(5)), (.seconds(30), .seconds(5)), (.seconds(10), .seconds(5)), (.seconds(6), .seconds(3)),
        (.milliseconds(500), .milliseconds(250)),
    ] as [(Duration?, Duration)])
    func theLimitIsFiveSecondsOrHalfTheWatchdog(watchdog: Duration?, limit: Duration) {
        #expect(MetricsEndpoint.heartbeatLimit(watchdog: watchdog) == limit)
    }
}
