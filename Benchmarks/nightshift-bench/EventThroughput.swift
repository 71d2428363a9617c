import Foundation

/// P1: events per second from a C source plugin through the real runtime into a C strategy plugin, beside the same
/// strategy's `on_events` called in a plain loop with the same batches.
///
/// Host runs and direct loops for several batch sizes, so the cost per emit (copy, queue hop, credit) and the cost per
/// event show apart; the median of a few runs per size is reported. Each run also checks that every event emitted was
/// delivered and that the strategy's price sum is the one the batches add up to.
struct EventThroughput {
    let settings: BenchSettings
    let workspace: BenchWorkspace

    /// The events per second the issue asks of the host.
    static let target = 10_000_000.0

    /// Throws unless every event the source emitted reached the strategy with the price sum the batches add up to.
    static func check(_ host: EventRunResult, _ baseline: EventRunResult, batchSize: Int) throws {
        let perBatch = DirectEventLoop.priceSum(batchSize: batchSize)
        var problems: [String] = []
        if host.delivered != host.emitted { problems.append("delivered \(host.delivered) of \(host.emitted) emitted") }
        if host.priceSum != perBatch * Int64(host.delivered / batchSize) {
            problems.append("price sum \(host.priceSum), expected \(perBatch * Int64(host.delivered / batchSize))")
        }
        if baseline.priceSum != perBatch * Int64(baseline.delivered / batchSize) {
            problems.append("direct loop price sum wrong")
        }
        if !problems.isEmpty { throw BenchError("P1 batch \(batchSize): \(problems.joined(separator: "; "))") }
    }

    func measure() throws -> [Figure] {
        let source = try workspace.compilePlugin("Benchmarks/plugins/bench_source.c", name: "bench-source")
        let strategy = try workspace.compilePlugin("Benchmarks/plugins/bench_strategy.c", name: "bench-strategy")
        let direct = try DirectEventLoop(strategyPath: strategy, sourcePath: source)
        var figures: [Figure] = []
        for batchSize in settings.eventBatchSizes {
            let batches = max(1, settings.eventsPerRun / batchSize)
            var hostRates: [Double] = [], directRates: [Double] = []
            var delivered = 0
            for _ in 0..<settings.eventRepeats {
                let host = try HostEventRun(workspace: workspace).run(
                    batchSize: batchSize, batches: batches, bound: settings.eventBurstBound)
                let baseline = try direct.run(batchSize: batchSize, batches: batches, bound: settings.eventBurstBound)
                try Self.check(host, baseline, batchSize: batchSize)
                hostRates.append(host.rate)
                directRates.append(baseline.rate)
                delivered += host.delivered
            }
            let spread = hostRates.map { FigureUnit.plain($0 / 1e6) }.joined(separator: ", ")
            figures.append(Figure(
                id: "P1", label: "host events/s (batch \(batchSize))", value: median(hostRates), unit: .perSecond("events"),
                baselineLabel: "direct on_events loop", baseline: median(directRates),
                targets: [.init(bound: .valueAtLeast(Self.target))],
                note: "median of \(settings.eventRepeats) run(s): \(spread) M/s; "
                    + "all \(delivered) events delivered, sums match"))
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
