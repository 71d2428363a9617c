import Foundation
import NightshiftTestSupport
import Testing

/// The metrics endpoint of the real host under the shipped unit in a real systemd (see `SystemdHostService`): its
/// sandboxing (no capabilities, a system-call filter, no writable-and-executable memory, `RestrictAddressFamilies=`)
/// leaves libmicrohttpd's server working.
@Suite("SystemdMetrics", .serialized)
struct SystemdMetricsTests {
    @Test("Under the shipped unit, /metrics, /healthz and /readyz answer and the scrape counts the ticks")
    func endpointServesUnderTheShippedUnit() throws {
        let service = try SystemdHostService.boot(
            deployment: SystemdHostTests.deployment("metrics: {listen: \"127.0.0.1:0\"}"), cPlugins: [SystemdHostTests.ticker])
        defer { service.tearDown() }
        try service.sandbox.systemctl("start", SystemdHostService.unit)
        #expect(try service.property("ActiveState") == "active")
        // The sandbox shares the machine's network: the port the host reported is reachable from here.
        let reported = try service.journal(
            ["NIGHTSHIFT_EVENT_TYPE=metrics_listening"], field: "NIGHTSHIFT_F_PORT", atLeast: 1)
        let port = try #require(reported.first.flatMap { Int($0) })
        func get(_ path: String) throws -> LoopbackResponse {
            try LoopbackResponse.fetch(port: port, method: "GET", path: path)
        }
        #expect(try get("/readyz").text == "ready\n")
        var health = try get("/healthz")
        for _ in 0..<50 where health.status != 200 {
            Thread.sleep(forTimeInterval: 0.1)
            health = try get("/healthz")
        }
        #expect(health.status == 200 && health.text == "ok\n")
        let ticks = try PrometheusExposition(parsing: get("/metrics").text)
            .value("nightshift_events_total", ["type": "tick", "instance": "ticker"])
        #expect(try #require(ticks) > 0)
        #expect(try service.journal(["NIGHTSHIFT_EVENT_TYPE=metrics_listening"], field: "NIGHTSHIFT_F_ADDRESS")
            == ["127.0.0.1:\(port)"])
    }
}
