import Foundation
import Testing
@testable import NightshiftEvents

extension PostgresTests {
    /// The server is killed (`pg_ctl stop -m immediate`) while three sources stream events through the writer, then
    /// started again: every event ends up in `bot_events` exactly once, in order per source.
    @Test func aHardStoppedServerLosesAndDuplicatesNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try PostgresServer.freshStore()
        let factory = EventFactory()
        let writer = try EventWriter(store: store, configuration: .init(
            spoolPath: directory.file("spool"), batchSize: 25, flushInterval: .milliseconds(10),
            retryInterval: .milliseconds(100), context: EventContext(hostInstance: "test-host", runId: factory.runId)
        ))
        let sources = ["alpaca", "kalshi", "open-meteo"]
        let perSource = 600
        let produced = EventCounter()

        let producers = sources.map { source in
            Thread {
                for index in 0..<perSource {
                    writer.enqueue(factory.make("tick", source: source, fields: ["seq": .int(Int64(index))]))
                    produced.add(1)
                    Thread.sleep(forTimeInterval: 0.002)
                }
            }
        }
        producers.forEach { $0.start() }

        eventually("events reach the store before the outage") { writer.counters.written >= 300 }
        try PostgresServer.stopImmediately()
        let producedAtStop = produced.value
        eventually("the writer spools during the outage") { writer.counters.spooled >= 100 }
        eventually("more events are produced while the server is down") { produced.value >= producedAtStop + 200 }
        #expect(writer.counters.storeAvailable == false)
        try PostgresServer.start()
        eventually("all events are produced") { produced.value == sources.count * perSource }
        eventually("everything reaches the store") { writer.flush(timeout: .seconds(2)) }

        let counters = writer.counters
        #expect(counters.lost == 0)
        #expect(counters.spooled > 0)
        #expect(counters.replayed == counters.spooled)
        let stored = try store.query(EventFilter(eventTypes: ["tick"], runId: factory.runId, limit: 100_000))
        #expect(stored.count == sources.count * perSource)
        #expect(Set(stored.map(\.id)).count == stored.count)
        let expected = (0..<Int64(perSource)).map { $0 }
        #expect(sequencesBySource(stored) == Dictionary(uniqueKeysWithValues: sources.map { ($0, expected) }))
        let ownEvents = try store.query(EventFilter(
            eventTypes: ["event_store_unavailable", "event_store_recovered"], runId: factory.runId
        ))
        #expect(ownEvents.map(\.eventType).first == "event_store_unavailable")
        #expect(ownEvents.map(\.eventType).contains("event_store_recovered"))
        #expect(writer.shutdown(timeout: .seconds(10)))
    }

    /// A writer that could not reach PostgreSQL is abandoned with events in its spool; the next writer replays them
    /// into PostgreSQL.
    @Test func aSpoolLeftByACrashedRunIsReplayedIntoPostgreSQL() throws {
        let directory = try TemporaryDirectory()
        let spoolPath = directory.file("spool")
        let events = EventFactory().sequence(150)
        try WriterCrash.leaveSpool(events, at: spoolPath, tornTail: [0x10, 0x00])

        let store = try PostgresServer.freshStore()
        try store.migrate()
        try store.insert(Array(events[0..<40]))
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: spoolPath, batchSize: 64))
        #expect(writer.flush(timeout: .seconds(20)))
        let stored = try store.query(EventFilter(limit: 10_000))
        #expect(stored.map(\.id) == events.map(\.id))
        #expect(writer.counters.replayed == 150)
        #expect(writer.counters.written == 110)
        #expect(writer.shutdown(timeout: .seconds(5)))
    }
}
