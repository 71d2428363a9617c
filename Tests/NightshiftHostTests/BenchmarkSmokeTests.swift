import Foundation
import Testing

/// The benchmark program runs end to end at tiny sizes and prints every figure beside its baseline.
///
/// Only the shape of the report and the benchmark's own correctness checks are asserted, never a time: the figures
/// of a smoke run in a debug build mean nothing.
@Suite struct BenchmarkSmokeTests {
    static var binary: String { CLIProcess.productsDirectory.appendingPathComponent("nightshift-bench").path }

    /// Runs the benchmark with `arguments`, killing it (by its pid) if it has not finished within `bound`.
    static func run(_ arguments: [String], environment: [String: String] = [:], bound: Duration = .seconds(300)) throws
        -> (status: Int32, stdout: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        if finished.wait(timeout: .now() + .seconds(Int(bound.components.seconds))) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theSmokeRunPrintsEveryFigureBesideItsBaseline() throws {
        let postgres = ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_PG_URL"] ?? ""
        let result = try Self.run(["--smoke"], environment: ["NIGHTSHIFT_BENCH_PG_URL": postgres])
        #expect(result.status == 0, "output:\n\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)

        #expect(lines.contains { $0.hasPrefix("command: ") && $0.contains("nightshift-bench --smoke") })
        #expect(lines.contains { $0.hasPrefix("machine: nproc ") && $0.contains(", CPU ") })
        #expect(lines.contains { $0.hasPrefix("toolchain: ") })

        var figures = [
            "P1 host events/s (batch 1):", "P1 host events/s (batch 64):", "P3 SQLite ingest via EventWriter:",
            "P4 host EventLog.record, 10 fields, caller ns/event:", "P4 Logger.event, 10 fields, caller ns/event:",
            "P5 start-to-READY of `nightshift run config/demo.yaml`:", "P5 peak resident memory",
            "P2 wire-to-strategy latency p50:", "P2 wire-to-strategy latency p99:",
            "P2 wire-to-strategy latency p99.9:", "P6 quote decode, alpaca-stream on_frame (scanner):",
        ]
        if !postgres.isEmpty { figures.append("P3 PostgreSQL ingest via EventWriter:") }
        for prefix in figures {
            let line = lines.first { $0.hasPrefix(prefix) }
            #expect(line != nil, "no line starting '\(prefix)' in:\n\(result.stdout)")
            guard let line else { continue }
            #expect(line.contains(" | baseline "), "\(line)")
            #expect(line.contains(" | ratio "), "\(line)")
            #expect(line.contains(" | target"), "\(line)")
        }
        // The throughput runs check their own work: every event emitted reached the strategy, with the right sum.
        let throughput = lines.filter { $0.hasPrefix("P1 host events/s") }
        #expect(throughput.count == 2)
        #expect(throughput.allSatisfy { $0.contains("events delivered, sums match") })
        // The latency runs count the quotes each side received; the decode run checks every quote was emitted.
        let latency = lines.filter { $0.hasPrefix("P2 wire-to-strategy latency") }
        #expect(latency.count == 3)
        #expect(latency.allSatisfy { $0.contains(" quotes, requested ") })
        #expect(lines.contains { $0.hasPrefix("P6 ") && $0.contains("every quote emitted") })
        if postgres.isEmpty { #expect(lines.contains { $0.hasPrefix("P3 PostgreSQL not measured") }) }
        #expect(!lines.contains { $0.contains("FAILED") })
        #expect(lines.contains("== summary"))
    }

    @Test func anUnknownFigureIsAUsageError() throws {
        let result = try Self.run(["--only", "P9"])
        #expect(result.status == 64)
        #expect(result.stdout.contains("Error: unknown figure 'P9'"))
    }
}
