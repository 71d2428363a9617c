import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// One P1 run through the real runtime: config text → `ConfigLoader` → `PreparedDeployment` → `Runtime.run()`.
///
/// The source emits its burst in its first cycle and logs `bench_source_done`; the benchmark then stops the runtime,
/// whose stop drains the bus and destroys the strategy, which logs `bench_strategy_totals`. The rate is the events
/// the strategy received over the time from the source's first emit to the arrival of the end marker the source
/// sends after its burst.
struct HostEventRun {
    let workspace: BenchWorkspace

    func run(batchSize: Int, batches: Int, bound: Duration) throws -> EventRunResult {
        let directory = try workspace.subdirectory("p1-\(batchSize)")
        let text = """
            host:
              name: bench
              plugin_dirs: [\(workspace.pluginDirectory.path)]
              data_dir: \(directory.path)
              shutdown_timeout: 60s
            defaults:
              call_deadline: 120s
            instances:
              - name: source
                plugin: bench-source
                schedule: {every: 1h}
                config: {batch_size: \(batchSize), batches: \(batches), max_ms: \(bound.nanoseconds / 1_000_000)}
              - name: strategy
                plugin: bench-strategy
                subscribe: [source]
            """
        let deployment = try ConfigLoader.load(
            text: text, file: directory.appendingPathComponent("bench.yaml").path, directory: directory.path,
            environment: [:])
        let prepared = try PreparedDeployment.prepare(deployment)
        let log = CapturingLog()
        let runtime = Runtime(prepared: prepared, runID: EventID.generate(), log: log)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = runtime.run()
            finished.signal()
        }
        thread.name = "bench.runtime"
        thread.start()
        // The burst is bounded by `bound`; the rest is start-up and slack for a loaded machine.
        let emittedInTime = log.wait(for: "bench_source_done", until: .now() + .seconds(Int(bound.seconds) + 30))
        runtime.shutdown.trigger()
        guard finished.wait(timeout: .now() + .seconds(90)) == .success else {
            throw BenchError("the runtime did not stop within 90 s")
        }
        guard emittedInTime, let emitted = log.integer("bench_source_done", "events"),
            let start = log.integer("bench_source_done", "start_ns")
        else {
            throw BenchError("the source never finished its burst; host errors: \(log.errors.joined(separator: "; "))")
        }
        guard let delivered = log.integer("bench_strategy_totals", "events"),
            let sum = log.integer("bench_strategy_totals", "price_sum"),
            let last = log.integer("bench_strategy_totals", "last_ns")
        else {
            throw BenchError(
                "the strategy reported no totals (bus not drained?); host errors: \(log.errors.joined(separator: "; "))")
        }
        return EventRunResult(
            emitted: Int(emitted), delivered: Int(delivered), priceSum: sum, seconds: Double(last - start) / 1e9)
    }
}
