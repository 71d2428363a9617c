import Foundation
import NightshiftTestSupport

/// The metrics endpoint of a `HostRun`: its port (from the host's `metrics_listening` event), GETs and scrapes.
struct MetricsProbe {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int

    /// Waits for the host to report the port it bound.
    init(_ run: HostRun) throws {
        guard run.wait(for: .seconds(60), until: { !$0.of("metrics_listening").isEmpty }),
            let port = run.events.of("metrics_listening").first?.int("port")
        else { throw Failure(description: "the host reported no metrics_listening event") }
        self.port = port
    }

    /// A probe of an endpoint this process serves itself.
    init(port: Int) {
        self.port = port
    }

    func get(_ path: String, method: String = "GET") throws -> LoopbackResponse {
        try LoopbackResponse.fetch(port: port, method: method, path: path)
    }

    /// A scrape of `/metrics`, parsed by the checking parser.
    func scrape() throws -> PrometheusExposition {
        let answer = try get("/metrics")
        guard answer.status == 200 else { throw Failure(description: "/metrics answered \(answer.status)") }
        return try PrometheusExposition(parsing: answer.text)
    }

    /// GETs `path` every 100 ms until `accept` holds for the answer or `limit` passes; returns the last answer.
    @discardableResult
    func poll(_ path: String, for limit: Duration = .seconds(30), until accept: (LoopbackResponse) -> Bool) throws
        -> LoopbackResponse
    {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while true {
            let answer = try get(path)
            if accept(answer) || clock.now >= end { return answer }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
