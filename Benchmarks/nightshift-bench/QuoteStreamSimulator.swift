import Foundation

/// The Alpaca market data simulator (`scripts/sims/alpaca_stream_sim.py`) on 127.0.0.1, sending one quote frame at
/// a fixed rate to every subscribed connection, each quote's `"t"` stamped with `time.time_ns()` just before it is
/// serialised and sent.
///
/// Stopped by `stop()` (its stdin closed, then SIGTERM to its pid).
final class QuoteStreamSimulator {
    let process = Process()
    private let input = Pipe()
    /// The port it listens on.
    let port: Int

    init(rate: Double) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", BenchWorkspace.root.appendingPathComponent("scripts/sims/alpaca_stream_sim.py").path,
            "--rate", "\(rate)", "--watch-stdin",
        ]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw BenchError("the Alpaca stream simulator did not print its port (is python3-websockets installed?)")
        }
        self.port = port
    }

    /// The stream URL without the feed, as alpaca-stream's `base_url` wants it.
    var baseURL: String { "ws://127.0.0.1:\(port)/v2" }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }
}

/// Latency percentiles in nanoseconds.
struct LatencyPercentiles {
    var count: Int
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double
}
