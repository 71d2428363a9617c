import Foundation
import NightshiftEvents
import NightshiftTestSupport
import Testing

/// `/metrics`, `/healthz` and `/readyz` of a real `nightshift run`: a scrape agrees with the event store row for row,
/// health fails when a plugin call stalls or the store is locked (and comes back with the store), and a taken
/// address is a configuration error.
@Suite struct MetricsEndpointTests {
    /// The stock-bot shape: a synthetic source, a mean-reversion strategy and the paper broker, with metrics on.
    static func deployment(
        _ directory: TemporaryDirectory, plugins: [String] = [], every: String, quotes: Int = 20, extra: String = ""
    ) -> String {
        """
        host:
          plugin_dirs: [\((plugins + [CLIProcess.productsDirectory.path]).joined(separator: ", "))]
          data_dir: \(directory.path)/data
          shutdown_timeout: 30s
        metrics: {listen: "127.0.0.1:0"}
        events: {store: sqlite, stdout: json, flush_interval: 50ms}
        risk: {max_position: 1000000}
        instances:
          - name: paper
            plugin: paper-broker
            subscribe: [quotes]
          - name: quotes
            plugin: synthetic-quotes
            schedule: {every: \(every)}
            config: {symbols: [AAPL, MSFT], quotes_per_cycle: \(quotes), seed: 3, step: 0.004}
          - name: reversion
            plugin: mean-reversion
            subscribe: [quotes]
            route_to: paper
            config: {symbols: [AAPL, MSFT], window: 20, threshold: 0.001, quantity: 1, max_position: 5}
        \(extra)
        """
    }

    @Test func aScrapeCountsEveryEventTheStoreHolds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // One cycle at start-up (the next is an hour away): the run goes quiet once its orders are filled.
        let config = try directory.write("d.yaml", Self.deployment(directory, every: "1h", quotes: 400))
        let run = try HostRun.start(config: config, for: "120s")
        defer { run.kill() }
        let probe = try MetricsProbe(run)
        #expect(try probe.poll("/readyz") { $0.status == 200 }.text == "ready\n")
        #expect(try probe.poll("/healthz") { $0.status == 200 }.text == "ok\n")

        // Poll until the scrape's events_total equals the store's rows per (type, instance): every event counted
        // once, and none the store lacks.
        let store = try SQLiteEventStore(path: directory.path + "/data/events.sqlite")
        var scraped: [String: Double] = [:], stored: [String: Double] = [:]
        var exposition = try probe.scrape()
        let clock = ContinuousClock(), end = clock.now + .seconds(30)
        repeat {
            Thread.sleep(forTimeInterval: 0.2)
            exposition = try probe.scrape()
            scraped = [:]
            for sample in exposition.families["nightshift_events_total"]?.samples ?? [] {
                scraped["\(sample.labels["type"] ?? "?")/\(sample.labels["instance"] ?? "?")"] = sample.value
            }
            stored = [:]
            for row in try store.query(EventFilter(limit: 1_000_000)) { stored["\(row.eventType)/\(row.instance)", default: 0] += 1 }
        } while scraped != stored && clock.now < end
        #expect(scraped == stored)
        #expect(scraped["plugin_started/paper"] == 1 && scraped["host_started/host"] == 1)
        #expect(scraped["metrics_listening/host"] == 1)

        // The strategy traded, and the order counters agree with the order rows.
        let submitted = try #require(stored["order_submitted/reversion"])
        #expect(submitted > 0)
        #expect(exposition.value("nightshift_orders_total", ["instance": "reversion", "outcome": "submitted"]) == submitted)
        #expect(exposition.value("nightshift_orders_total", ["instance": "reversion", "outcome": "filled"])
            == stored["trade_executed/reversion"])

        // Gauges: everything delivered, the source quiet since its one cycle, the store healthy, the host up.
        #expect(exposition.value("nightshift_bus_queue_depth", ["subscriber": "paper"]) == 0)
        #expect(exposition.value("nightshift_bus_queue_depth", ["subscriber": "reversion"]) == 0)
        #expect(try #require(exposition.value("nightshift_last_event_age_seconds", ["source": "quotes"])) > 0)
        #expect(exposition.value("nightshift_event_store_up") == 1)
        #expect(exposition.value("nightshift_event_spool_bytes") == 0)
        #expect(exposition.value("nightshift_event_queue_depth") == 0, "every event written")
        #expect(exposition.value("nightshift_events_lost_total") == 0)
        #expect(exposition.value("nightshift_up") == 1 && exposition.value("nightshift_ready") == 1)
        #expect(exposition.families["nightshift_build_info"]?.samples.count == 1)
        for name in exposition.order {
            #expect(exposition.families[name]?.help?.isEmpty == false, "\(name) has help")
            if exposition.families[name]?.type == "counter" { #expect(name.hasSuffix("_total")) }
        }

        // The Prometheus project's own parser reads the same scrape the same way: every series, value and type.
        let text = try probe.get("/metrics").text
        let ours = try PrometheusExposition(parsing: text)
        let reference = try ReferencePrometheusParser.parse(text)
        #expect(Self.series(reference.samples) == Self.series(ours.samples))
        #expect(reference.samples.count == ours.samples.count && ours.samples.count > 20)
        // Grouping too: a sample outside its family would become a family of its own, typed "unknown".
        #expect(reference.types.count == ours.order.count, "\(reference.types.keys.sorted())")
        #expect(!reference.types.values.contains("unknown") && !reference.types.values.contains("untyped"))
        for name in ours.order {
            let type = ours.families[name]?.type
            #expect(reference.types[type == "counter" ? String(name.dropLast("_total".count)) : name] == type, "\(name)")
        }

        // The shipped Grafana dashboard asks only for metrics a real scrape has.
        let dashboard = try GrafanaDashboardTests.dashboard()
        let used = GrafanaDashboardTests.metricNames(GrafanaDashboardTests.expressions(dashboard).joined(separator: " "))
        #expect(used.count >= 10 && used.subtracting(exposition.order).isEmpty, "\(used.subtracting(exposition.order))")

        #expect(try probe.get("/nope").status == 404)
        #expect(try probe.get("/metrics", method: "POST").status == 405)
    }

    /// `name{label="value",...}` → value as text (so NaN equals NaN), labels sorted: two parsers' readings compare as
    /// dictionaries.
    static func series(_ samples: [PrometheusExposition.Sample]) -> [String: String] {
        Dictionary(samples.map { sample in
            let labels = sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.debugDescription)" }
            return ("\(sample.name){\(labels.joined(separator: ","))}", sample.value.isNaN ? "NaN" : "\(sample.value)")
        }, uniquingKeysWith: { first, _ in first })
    }

    @Test func healthFailsOnceAPluginCallStalls() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let builder = try CPluginBuilder()
        defer { builder.remove() }
        _ = try builder.build("Tests/NightshiftHostTests/Fixtures/faulty_strategy_plugin.c", name: "libfaulty")
        // The faulty strategy answers 60 batches (about 3 s), then sleeps a minute inside on_events.
        let config = try directory.write("d.yaml", Self.deployment(
            directory, plugins: [builder.directory.path], every: "50ms", extra: """
              - name: faulty
                plugin: faulty
                subscribe: [quotes]
                call_deadline: 500ms
                config: {stall_ms: 60000, stall_after: 60}
            """))
        let run = try HostRun.start(config: config, for: "120s")
        defer { run.kill() }
        let probe = try MetricsProbe(run)
        #expect(try probe.poll("/healthz") { $0.status == 200 }.status == 200)

        #expect(run.wait(for: .seconds(60)) { !$0.of("plugin_stalled", from: "faulty").isEmpty })
        let health = try probe.poll("/healthz") { $0.status == 503 }
        #expect(health.status == 503)
        #expect(health.text == "stalled: instance faulty overran its call deadline\n")
        // Without a watchdog the host escalates: it is stopping, and says so, while the endpoint still answers.
        #expect(try probe.poll("/readyz") { $0.status == 503 }.text == "stopping\n")
        let exposition = try probe.scrape()
        #expect(exposition.value("nightshift_up") == 0 && exposition.value("nightshift_ready") == 0)
        #expect(exposition.value("nightshift_events_total", ["type": "plugin_stalled", "instance": "faulty"]) == 1)
    }

    @Test func healthFailsWhileTheStoreIsLockedAndRecoversAfter() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("d.yaml", Self.deployment(directory, every: "100ms"))
        let run = try HostRun.start(config: config, for: "120s")
        defer { run.kill() }
        let probe = try MetricsProbe(run)
        #expect(try probe.poll("/healthz") { $0.status == 200 }.status == 200)

        // Another process takes SQLite's write lock and keeps it: the host's inserts time out and events are spooled.
        let locker = try SQLiteLocker(path: directory.path + "/data/events.sqlite")
        defer { locker.kill() }
        let failing = try probe.poll("/healthz", for: .seconds(60)) { $0.status == 503 }
        #expect(failing.status == 503)
        #expect(failing.text.hasPrefix("event log: store unavailable, "))
        let outage = try probe.scrape()
        #expect(outage.value("nightshift_event_store_up") == 0 && outage.value("nightshift_up") == 0)
        #expect(try #require(outage.value("nightshift_event_spool_bytes")) > 0)

        // The lock goes: the writer's next attempt replays the spool and health returns.
        locker.release()
        #expect(try probe.poll("/healthz", for: .seconds(60)) { $0.status == 200 }.text == "ok\n")
        let after = try probe.scrape()
        #expect(after.value("nightshift_event_store_up") == 1 && after.value("nightshift_events_lost_total") == 0)
    }

    /// The disk under the spool is full (a 16 KiB tmpfs in the host's own mount namespace) while the store is locked:
    /// events are lost, and that is never silent. They are counted, said on stderr and in `STATUS=`, and `/healthz`
    /// stays 503 after the store takes writes again, because lost events do not come back.
    @Test func lostEventsAreCountedSaidAndKeepHealthzFailingAfterTheStoreReturns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let spool = directory.path + "/data", store = directory.path + "/store"
        for path in [spool, store] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let text = Self.deployment(directory, every: "50ms").replacingOccurrences(
            of: "events: {store: sqlite,", with: "events: {store: sqlite, path: \(store)/events.sqlite,")
        let privateMounts = try CommandRunner.tool("unshare", ["--mount", "true"])
        try #require(privateMounts.succeeded, "needs a private mount namespace (root): \(privateMounts)")
        let status = try NotifyStatusRecorder()
        let run = try HostRun.start(
            config: try directory.write("d.yaml", text), for: "300s", environment: ["NOTIFY_SOCKET": status.address],
            wrapper: ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                      #"mount -t tmpfs -o size=16k nightshift-full-disk "$1" && shift && exec "$@""#, "sh", spool])
        defer { run.kill() }
        let probe = try MetricsProbe(run)
        #expect(try probe.poll("/healthz") { $0.status == 200 }.status == 200)

        let locker = try SQLiteLocker(path: store + "/events.sqlite")
        defer { locker.kill() }
        let lost = try probe.poll("/healthz", for: .seconds(30)) { $0.text.contains("lost") }
        #expect(lost.status == 503)
        #expect(lost.text.hasPrefix("event log: ") && lost.text.hasSuffix(" event(s) lost (neither store nor spool took them)\n"),
                "\(lost.text)")

        locker.release()
        let recovered = try probe.poll("/metrics") {
            (try? PrometheusExposition(parsing: $0.text))?.value("nightshift_event_store_up") == 1
        }
        let exposition = try PrometheusExposition(parsing: recovered.text)
        #expect(exposition.value("nightshift_event_store_up") == 1, "the store takes writes again")
        #expect(try #require(exposition.value("nightshift_events_lost_total")) > 0)
        let after = try probe.get("/healthz")
        #expect(after.status == 503 && after.text.contains("lost"), "\(after.text)")
        #expect(exposition.value("nightshift_up") == 0)

        run.signal(SIGTERM)
        let result = run.finish()
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("event writer: EVENTS LOST: "), "\(result.stderr.suffix(2000))")
        #expect(status.messages.contains { $0.contains("STATUS=event log: ") && $0.contains("lost") },
                "\(status.messages)")
    }

    @Test func aTakenAddressIsAConfigurationErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let holder = try PortHolder()
        defer { holder.close() }
        let text = Self.deployment(directory, every: "1s")
            .replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:\(holder.port)")
        let result = try CLIProcess.run(["run", try directory.write("d.yaml", text), "--for", "10s"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("Error: cannot serve metrics on 127.0.0.1:\(holder.port): the address is in use"))
        let types = RunCommandTests.events(result.stdout).compactMap { $0["type"] as? String }
        #expect(types.contains("host_start_failed") && !types.contains("host_started"))
    }
}
