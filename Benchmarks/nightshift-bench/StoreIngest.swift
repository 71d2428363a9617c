import Foundation
import NightshiftEvents

/// P3: events per second into the event store through `EventWriter` batches, beside one INSERT per event
/// (`store.insert([event])` in a loop, one transaction each).
///
/// SQLite always; PostgreSQL too when `NIGHTSHIFT_BENCH_PG_URL` is set (in a schema of its own, left behind so the
/// rows can be looked at). The writer runs with its default configuration; the producer never lets the in-memory
/// queue overflow into the spool, so the figure is the rate the store side sustains.
struct StoreIngest {
    let settings: BenchSettings
    let workspace: BenchWorkspace

    static let rateTarget = 100_000.0
    static let ratioTarget = 20.0

    func measure() throws -> [Figure] {
        var figures = [try figure(store: "SQLite") { name in
            try SQLiteEventStore(path: try workspace.subdirectory("p3").appendingPathComponent("\(name).sqlite").path)
        }]
        if let url = ProcessInfo.processInfo.environment["NIGHTSHIFT_BENCH_PG_URL"], !url.isEmpty {
            let schema = "nightshift_bench_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
            figures.append(try figure(store: "PostgreSQL") { name in
                try PostgresEventStore(url: url, configuration: .init(schema: "\(schema)_\(name)"))
            })
        }
        return figures
    }

    /// Measures one kind of store; `open` makes a fresh, empty store for each side.
    private func figure(store kind: String, open: (String) throws -> any EventStore) throws -> Figure {
        let batchedStore = try open("batched")
        try batchedStore.migrate()
        let singleStore = try open("single")
        try singleStore.migrate()
        let directStore = try open("direct")
        try directStore.migrate()
        let batched = try writeBatched(into: batchedStore, count: settings.ingestBatchedEvents)
        let single = try writeSingly(into: singleStore, count: settings.ingestSingleEvents)
        // Where the time goes: the store's own insert of whole batches, with no writer thread or queue in front.
        let direct = try writeDirectly(into: directStore, count: settings.ingestBatchedEvents, batchSize: 500)
        return Figure(
            id: "P3", label: "\(kind) ingest via EventWriter", value: batched.rate, unit: .perSecond("events"),
            baselineLabel: "one INSERT per event", baseline: single.rate,
            targets: [.init(bound: .valueAtLeast(Self.rateTarget)), .init(bound: .ratioAtLeast(Self.ratioTarget))],
            note: "\(batched.count) batched events in \(FigureUnit.plain(batched.seconds * 1000)) ms, "
                + "\(single.count) single inserts in \(FigureUnit.plain(single.seconds * 1000)) ms; "
                + "store.insert of 500-event batches alone: \(FigureUnit.perSecond("events").format(direct.rate))")
    }

    private struct Ingested {
        var count: Int
        var seconds: Double
        var rate: Double { seconds > 0 ? Double(count) / seconds : 0 }
    }

    /// Enqueues `count` events (fewer if the time bound passes first) and flushes; time from the first enqueue until
    /// the store holds every event enqueued.
    private func writeBatched(into store: any EventStore, count: Int) throws -> Ingested {
        let events = Self.events(count)
        let spool = try workspace.subdirectory("p3-spool-\(UUID().uuidString.prefix(8))")
            .appendingPathComponent("events.spool")
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: spool.path))
        defer { writer.shutdown(timeout: .seconds(10)) }
        let capacity = writer.configuration.queueCapacity
        let chunk = max(1, min(500, capacity / 4))
        let deadline = monotonicNanoseconds() + settings.ingestBound.nanoseconds
        let start = monotonicNanoseconds()
        var enqueued = 0
        enqueueing: for event in events {
            // Back-pressure by hand: keep the queue below capacity, so nothing is diverted to the spool.
            if enqueued % chunk == 0 {
                while writer.counters.queueDepth > capacity - 2 * chunk {
                    if monotonicNanoseconds() > deadline { break enqueueing }
                    usleep(100)
                }
            }
            writer.enqueue(event)
            enqueued += 1
        }
        guard writer.flush(timeout: .seconds(60)) else { throw BenchError("the writer did not flush within 60 s") }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        let counters = writer.counters
        guard counters.written == enqueued, counters.spooled == 0 else {
            throw BenchError("writer wrote \(counters.written) of \(enqueued) (spooled \(counters.spooled))")
        }
        return Ingested(count: enqueued, seconds: seconds)
    }

    /// One `insert([event])` per event, until `count` or the time bound.
    private func writeSingly(into store: any EventStore, count: Int) throws -> Ingested {
        let events = Self.events(count)
        let deadline = monotonicNanoseconds() + settings.ingestBound.nanoseconds
        let start = monotonicNanoseconds()
        var written = 0
        for event in events {
            if written % 64 == 0, monotonicNanoseconds() > deadline { break }
            written += try store.insert([event])
        }
        return Ingested(count: written, seconds: Double(monotonicNanoseconds() - start) / 1e9)
    }

    /// `store.insert` of `batchSize` events at a time from this thread, until `count` or the time bound.
    private func writeDirectly(into store: any EventStore, count: Int, batchSize: Int) throws -> Ingested {
        let events = Self.events(count)
        let deadline = monotonicNanoseconds() + settings.ingestBound.nanoseconds
        let start = monotonicNanoseconds()
        var written = 0
        for first in stride(from: 0, to: events.count, by: batchSize) where monotonicNanoseconds() < deadline {
            written += try store.insert(Array(events[first..<min(first + batchSize, events.count)]))
        }
        return Ingested(count: written, seconds: Double(monotonicNanoseconds() - start) / 1e9)
    }

    /// Events shaped like the host's busiest rows: a typed event with a message and five fields.
    static func events(_ count: Int) -> [EventRecord] {
        let context = EventContext(hostInstance: "bench")
        return (0..<count).map { index in
            EventRecord(
                eventType: "order_accepted", level: .info, source: "bench-strategy", instance: "strategy",
                hostInstance: context.hostInstance, runId: context.runId, message: "order \(index) accepted by the broker",
                fields: [
                    "client_order_id": .string("0190a1b2-strategy-\(index)"), "symbol": "AAPL", "qty": .int(10),
                    "limit_price": .double(187.52), "attempt": .int(1),
                ])
        }
    }
}
