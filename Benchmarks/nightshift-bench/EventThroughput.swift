import Foundation

/// P1: events per second from a C source plugin through the real runtime into a C strategy plugin, beside the same
/// strategy's `on_events` called in a plain loop with the same batches.
///
/// One host run and one direct loop per batch size, so the cost per emit (copy, queue hop, credit) and the cost per
/// event show apart. Each run also checks that every event emitted was delivered and that the strategy's price sum
/// is the one the batches add up to.
struct EventThroughput {
    let settings: BenchSettings
    let workspace: BenchWorkspace

    /// The events per second the issue asks of the host.
    static let target = 10_000_000.0

    func measure() throws -> [Figure] {
        let source = try workspace.compilePlugin("Benchmarks/plugins/bench_source.c", name: "bench-source")
        let strategy = try workspace.compilePlugin("Benchmarks/plugins/bench_strategy.c", name: "bench-strategy")
        let direct = try DirectEventLoop(strategyPath: strategy, sourcePath: source)
        var figures: [Figure] = []
        for batchSize in settings.eventBatchSizes {
            let batches = max(1, settings.eventsPerRun / batchSize)
            let host = try HostEventRun(workspace: workspace).run(
                batchSize: batchSize, batches: batches, bound: settings.eventBurstBound)
            let baseline = try direct.run(batchSize: batchSize, batches: batches, bound: settings.eventBurstBound)
            let expectedSum = DirectEventLoop.priceSum(batchSize: batchSize) * Int64(host.delivered / batchSize)
            var problems: [String] = []
            if host.delivered != host.emitted { problems.append("delivered \(host.delivered) of \(host.emitted) emitted") }
            if host.priceSum != expectedSum { problems.append("price sum \(host.priceSum), expected \(expectedSum)") }
            if baseline.priceSum != DirectEventLoop.priceSum(batchSize: batchSize) * Int64(baseline.delivered / batchSize) {
                problems.append("direct loop price sum wrong")
            }
            let check = problems.isEmpty ? "all \(host.delivered) events delivered, sums match" : problems.joined(separator: "; ")
            if !problems.isEmpty { throw BenchError("P1 batch \(batchSize): \(check)") }
            figures.append(Figure(
                id: "P1", label: "host events/s (batch \(batchSize))", value: host.rate, unit: .perSecond("events"),
                baselineLabel: "direct on_events loop", baseline: baseline.rate,
                targets: [.init(bound: .valueAtLeast(Self.target))],
                note: "\(host.delivered) events in \(FigureUnit.plain(host.seconds * 1000)) ms; \(check)"))
        }
        return figures
    }
}

/// What one run delivered, and how fast.
struct EventRunResult {
    var emitted: Int
    var delivered: Int
    var priceSum: Int64
    var seconds: Double

    var rate: Double { seconds > 0 ? Double(delivered) / seconds : 0 }
}
