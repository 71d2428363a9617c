import Synchronization

/// The metrics a process exports: counters it increments and values sampled when scraped.
///
/// Thread-safe: counters are incremented from any thread under one `Mutex`, and a scrape copies them out and then calls
/// each sampled family's closure outside the lock (a closure may take locks of its own). Names get the registry's
/// prefix. Every counter family holds at most `Configuration.maxSeriesPerFamily` label sets: past that, new label
/// sets are counted in one series whose label values are all `_other`, so a plugin inventing event types cannot grow
/// memory or the scrape without bound.
///
/// ```swift
/// let registry = MetricsRegistry()
/// let events = registry.counter("events_total", help: "Events recorded.", labels: ["type"])
/// events.increment(["order_submitted"])
/// registry.gauge("queue_depth", help: "Batches waiting.", labels: ["subscriber"]) { [MetricSample(["paper"], 3)] }
/// print(registry.render())
/// ```
public final class MetricsRegistry: Sendable {
    /// Limits and naming.
    public struct Configuration: Sendable {
        /// Prepended to every family's name.
        public var prefix = "nightshift_"
        /// The most label sets one counter family keeps before folding new ones into `_other`.
        public var maxSeriesPerFamily = 1_000

        public init(prefix: String = "nightshift_", maxSeriesPerFamily: Int = 1_000) {
            self.prefix = prefix
            self.maxSeriesPerFamily = maxSeriesPerFamily
        }
    }

    /// The label value standing for every label set past the per-family limit.
    public static let overflowLabel = "_other"

    /// A closure that returns a sampled family's series at scrape time.
    public typealias Sampler = @Sendable () -> [MetricSample]

    private struct Entry: Sendable {
        var name: String
        var help: String
        var kind: MetricKind
        var labelNames: [String]
        var counts: [[String]: Double] = [:]
        var sampler: Sampler?
    }

    public let configuration: Configuration
    private let entries = Mutex<[Entry]>([])

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: - Registration

    /// Registers a counter family and returns the handle that increments it.
    ///
    /// A counter without labels is exported as 0 before its first increment; one with labels has no series until then.
    public func counter(_ name: String, help: String, labels: [String] = []) -> MetricCounter {
        let index = register(Entry(
            name: configuration.prefix + name, help: help, kind: .counter, labelNames: labels,
            counts: labels.isEmpty ? [[]: 0] : [:]))
        return MetricCounter(registry: self, index: index, labelCount: labels.count)
    }

    /// Registers a gauge family whose series `sample` returns at each scrape.
    public func gauge(_ name: String, help: String, labels: [String] = [], sample: @escaping Sampler) {
        _ = register(Entry(name: configuration.prefix + name, help: help, kind: .gauge, labelNames: labels, sampler: sample))
    }

    /// Registers a counter family kept by someone else (e.g. a writer's own tally), read at each scrape.
    ///
    /// `sample` must return values that never go down while the process runs.
    public func sampledCounter(_ name: String, help: String, labels: [String] = [], sample: @escaping Sampler) {
        _ = register(Entry(name: configuration.prefix + name, help: help, kind: .counter, labelNames: labels, sampler: sample))
    }

    private func register(_ entry: Entry) -> Int {
        precondition(MetricFamily.isValidName(entry.name), "invalid metric name \(entry.name)")
        precondition(entry.labelNames.allSatisfy(MetricFamily.isValidLabelName), "invalid label name in \(entry.name)")
        precondition(Set(entry.labelNames).count == entry.labelNames.count, "duplicate label name in \(entry.name)")
        return entries.withLock { entries in
            precondition(!entries.contains { $0.name == entry.name }, "metric \(entry.name) registered twice")
            entries.append(entry)
            return entries.count - 1
        }
    }

    // MARK: - Counting and scraping

    func add(_ amount: Double, to index: Int, labels: [String]) {
        entries.withLock { entries in
            if entries[index].counts[labels] == nil, entries[index].counts.count >= configuration.maxSeriesPerFamily {
                let overflow = Array(repeating: Self.overflowLabel, count: labels.count)
                entries[index].counts[overflow, default: 0] += amount
            } else {
                entries[index].counts[labels, default: 0] += amount
            }
        }
    }

    /// Every family now, sorted by name, each family's series sorted by label values.
    public func families() -> [MetricFamily] {
        let snapshot = entries.withLock { $0 }
        return snapshot.map { entry in
            let samples = entry.sampler.map { $0() } ?? entry.counts.map { MetricSample($0.key, $0.value) }
            return MetricFamily(
                name: entry.name, help: entry.help, kind: entry.kind, labelNames: entry.labelNames,
                samples: samples.filter { $0.labels.count == entry.labelNames.count }
                    .sorted { $0.labels.lexicographicallyPrecedes($1.labels) })
        }.sorted { $0.name < $1.name }
    }

    /// The scrape answer: every family in the Prometheus text format.
    public func render() -> String {
        PrometheusText.render(families())
    }
}

/// Increments one counter family of a `MetricsRegistry`.
public struct MetricCounter: Sendable {
    let registry: MetricsRegistry
    let index: Int
    let labelCount: Int

    /// Adds `amount` (1 by default; negative amounts are ignored, a counter never goes down) to the series `labels`.
    ///
    /// - Parameter labels: the label values, one per label name given at registration, in that order.
    public func increment(_ labels: [String] = [], by amount: Double = 1) {
        guard amount >= 0 else { return }
        guard labels.count == labelCount else {
            assertionFailure("counter \(index) takes \(labelCount) label value(s), got \(labels.count)")
            return
        }
        registry.add(amount, to: index, labels: labels)
    }
}
