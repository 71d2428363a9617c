import NightshiftTestSupport
import Synchronization
import Testing
import Dispatch
@testable import NightshiftMetrics

/// The registry: what it renders (exactly), in which order, and that counting holds under concurrency and bounds.
@Suite struct MetricsRegistryTests {
    @Test func rendersFamiliesByNameAndSeriesByLabelsWithHelpAndType() {
        let registry = MetricsRegistry()
        let events = registry.counter("events_total", help: "Events.", labels: ["type", "instance"])
        registry.gauge("queue_depth", help: "Waiting batches.", labels: ["subscriber"]) {
            [MetricSample(["zeta"], 2), MetricSample(["alpha"], 0.5)]
        }
        let starts = registry.counter("starts_total", help: "Starts.")
        events.increment(["order_submitted", "reversion"])
        events.increment(["host_started", "host"])
        events.increment(["order_submitted", "reversion"], by: 2)
        events.increment(["log", "alpha"])
        starts.increment()
        #expect(registry.render() == """
            # HELP nightshift_events_total Events.
            # TYPE nightshift_events_total counter
            nightshift_events_total{type="host_started",instance="host"} 1
            nightshift_events_total{type="log",instance="alpha"} 1
            nightshift_events_total{type="order_submitted",instance="reversion"} 3
            # HELP nightshift_queue_depth Waiting batches.
            # TYPE nightshift_queue_depth gauge
            nightshift_queue_depth{subscriber="alpha"} 0.5
            nightshift_queue_depth{subscriber="zeta"} 2
            # HELP nightshift_starts_total Starts.
            # TYPE nightshift_starts_total counter
            nightshift_starts_total 1

            """)
    }

    @Test func anUnlabeledCounterIsZeroBeforeItsFirstIncrementAndALabeledOneHasNoSeries() throws {
        let registry = MetricsRegistry()
        _ = registry.counter("plain_total", help: "Plain.")
        _ = registry.counter("labeled_total", help: "Labeled.", labels: ["instance"])
        let parsed = try PrometheusExposition(parsing: registry.render())
        #expect(parsed.value("nightshift_plain_total") == 0)
        #expect(parsed.families["nightshift_labeled_total"]?.samples.isEmpty == true)
        #expect(parsed.families["nightshift_labeled_total"]?.type == "counter")
    }

    @Test func labelValuesAndHelpAreEscapedAndParseBackToTheOriginal() throws {
        let registry = MetricsRegistry()
        let tricky = "a\\b \"quoted\"\nline2\r\nend ünï"
        let counter = registry.counter("odd_total", help: "Help with \\ and\nnewline.", labels: ["type"])
        counter.increment([tricky])
        let text = registry.render()
        #expect(text.contains(#"# HELP nightshift_odd_total Help with \\ and\nnewline."#))
        #expect(text.contains(#"nightshift_odd_total{type="a\\b \"quoted\"\nline2\#r\nend ünï"} 1"#))
        let parsed = try PrometheusExposition(parsing: text)
        #expect(parsed.value("nightshift_odd_total", ["type": tricky]) == 1)
        #expect(parsed.families["nightshift_odd_total"]?.help == "Help with \\ and\nnewline.")
        // The Prometheus project's own parser reads the escapes back the same way.
        let reference = try ReferencePrometheusParser.parse(text)
        #expect(reference.samples == [.init(name: "nightshift_odd_total", labels: ["type": tricky], value: 1)])
        #expect(reference.types["nightshift_odd"] == "counter")
    }

    @Test func samplersRunAtEachScrape() throws {
        let registry = MetricsRegistry()
        let depth = Atomic<Int>(1)
        registry.gauge("depth", help: "Depth.") { [MetricSample([], Double(depth.load(ordering: .relaxed)))] }
        #expect(try PrometheusExposition(parsing: registry.render()).value("nightshift_depth") == 1)
        depth.store(7, ordering: .relaxed)
        #expect(try PrometheusExposition(parsing: registry.render()).value("nightshift_depth") == 7)
    }

    @Test func labelSetsPastTheLimitFoldIntoOther() throws {
        let registry = MetricsRegistry(configuration: .init(maxSeriesPerFamily: 3))
        let counter = registry.counter("types_total", help: "Types.", labels: ["type", "instance"])
        for index in 0..<10 { counter.increment(["t\(index)", "x"]) }
        counter.increment(["t1", "x"])
        let parsed = try PrometheusExposition(parsing: registry.render())
        #expect(parsed.families["nightshift_types_total"]?.samples.count == 4)
        #expect(parsed.value("nightshift_types_total", ["type": "t1", "instance": "x"]) == 2)
        #expect(parsed.value("nightshift_types_total", ["type": "_other", "instance": "_other"]) == 7)
    }

    @Test func negativeIncrementsAreIgnored() throws {
        let registry = MetricsRegistry()
        let counter = registry.counter("up_only_total", help: "Only up.")
        counter.increment(by: 3)
        counter.increment(by: -2)
        #expect(try PrometheusExposition(parsing: registry.render()).value("nightshift_up_only_total") == 3)
    }

    @Test func concurrentIncrementsAllCount() throws {
        let registry = MetricsRegistry()
        let counter = registry.counter("hits_total", help: "Hits.", labels: ["worker"])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<5_000 {
                counter.increment(["w\(worker % 2)"])
                if worker == 0 { _ = registry.render() }
            }
        }
        let parsed = try PrometheusExposition(parsing: registry.render())
        #expect(parsed.value("nightshift_hits_total", ["worker": "w0"]) == 20_000)
        #expect(parsed.value("nightshift_hits_total", ["worker": "w1"]) == 20_000)
    }

    @Test func namesAreCheckedAsTheFormatRequires() {
        #expect(MetricFamily.isValidName("nightshift_events_total") && MetricFamily.isValidName("a:b"))
        #expect(!MetricFamily.isValidName("1abc") && !MetricFamily.isValidName("a-b") && !MetricFamily.isValidName(""))
        #expect(MetricFamily.isValidLabelName("instance") && !MetricFamily.isValidLabelName("__name"))
        #expect(!MetricFamily.isValidLabelName("a:b"))
    }
}
