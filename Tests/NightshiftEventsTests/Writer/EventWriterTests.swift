import Foundation
import Testing
@testable import NightshiftEvents

/// Leaving a spool behind the way a killed process does.
enum WriterCrash {
    /// Runs a writer against a store that refuses connections until `events` are all spooled, abandons it without a
    /// flush (as SIGKILL would), then appends `tornTail` as a crash in the middle of an append would.
    static func leaveSpool(_ events: [EventRecord], at spoolPath: String, tornTail: [UInt8]) throws {
        let unreachable = try PostgresEventStore(url: unreachablePostgresURL)
        let writer = try EventWriter(store: unreachable, configuration: .init(
            spoolPath: spoolPath, batchSize: 16, flushInterval: .milliseconds(5), retryInterval: .seconds(60)
        ))
        for event in events { writer.enqueue(event) }
        eventually("every event is spooled") { writer.counters.spooled == events.count }
        #expect(writer.counters.written == 0)
        writer.abandon()
        let handle = try #require(FileHandle(forWritingAtPath: spoolPath))
        handle.seekToEndOfFile()
        handle.write(Data(tornTail))
        handle.closeFile()
    }
}

@Suite struct EventWriterTests {
    let directory: TemporaryDirectory
    let store: SQLiteEventStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try SQLiteEventStore(path: directory.file("events.db"))
    }

    @Test func batchesReachTheStore() throws {
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: directory.file("spool"), batchSize: 100))
        let events = EventFactory().sequence(1_234)
        for event in events { writer.enqueue(event) }
        #expect(writer.flush(timeout: .seconds(20)))
        let counters = writer.counters
        #expect(counters.queued == 1_234)
        #expect(counters.written == 1_234)
        #expect(counters.spooled == 0 && counters.lost == 0 && counters.queueDepth == 0 && counters.spoolBytes == 0)
        #expect(try store.query(EventFilter(limit: 5_000)).map(\.id) == events.map(\.id))
        #expect(writer.shutdown(timeout: .seconds(5)))
    }

    @Test func theFlushIntervalWritesAPartialBatch() throws {
        let writer = try EventWriter(store: store, configuration: .init(
            spoolPath: directory.file("spool"), batchSize: 1_000, flushInterval: .milliseconds(20)
        ))
        writer.enqueue(EventFactory().make("log"))
        eventually("a lone event is written without a flush") { writer.counters.written == 1 }
        writer.shutdown(timeout: .seconds(5))
    }

    @Test func aFullQueueOverflowsIntoTheSpoolNotTheFloor() throws {
        let writer = try EventWriter(store: store, configuration: .init(
            spoolPath: directory.file("spool"), queueCapacity: 10, batchSize: 1_000, flushInterval: .seconds(30)
        ))
        let events = EventFactory().sequence(100)
        for event in events { writer.enqueue(event) }
        #expect(writer.counters.spooled == 90)
        #expect(writer.counters.queueDepth == 10)
        #expect(writer.flush(timeout: .seconds(20)))
        #expect(writer.counters.lost == 0)
        #expect(writer.counters.replayed == 90)
        let stored = try store.query(EventFilter(limit: 1_000))
        #expect(Set(stored.map(\.id)) == Set(events.map(\.id)))
        #expect(stored.map(\.id) == events.map(\.id))
        writer.shutdown(timeout: .seconds(5))
    }

    @Test func aSpoolLeftByACrashedRunIsReplayedOnceWithItsTornTailIgnored() throws {
        let spoolPath = directory.file("spool")
        let events = EventFactory().sequence(200)
        // A header promising 500 bytes followed by 100: an append cut short by the crash.
        let torn = SpoolFrame.encode([UInt8](repeating: 0x41, count: 500)).prefix(108)
        try WriterCrash.leaveSpool(events, at: spoolPath, tornTail: Array(torn))
        // The crash came after these reached the store but before the spool was truncated.
        try store.migrate()
        try store.insert(Array(events[0..<50]))

        let writer = try EventWriter(store: store, configuration: .init(spoolPath: spoolPath, batchSize: 32))
        #expect(writer.flush(timeout: .seconds(20)))
        let stored = try store.query(EventFilter(limit: 1_000))
        #expect(stored.map(\.id) == events.map(\.id))
        #expect(sequencesBySource(stored) == ["host": (0..<200).map { Int64($0) }])
        let counters = writer.counters
        #expect(counters.replayed == 200)
        #expect(counters.written == 150)
        #expect(counters.lost == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: spoolPath)[.size] as? Int == 0)
        #expect(writer.shutdown(timeout: .seconds(5)))
    }

    @Test func eventsBeyondTheSpoolLimitAreCountedLost() throws {
        let writer = try EventWriter(store: PostgresEventStore(url: unreachablePostgresURL), configuration: .init(
            spoolPath: directory.file("spool"), batchSize: 10, flushInterval: .milliseconds(5),
            retryInterval: .seconds(60), maxSpoolBytes: 8_000
        ))
        for event in EventFactory().sequence(100) { writer.enqueue(event) }
        eventually("every event is accounted for") {
            let counters = writer.counters
            return counters.spooled + counters.lost == 100
        }
        let counters = writer.counters
        #expect(counters.lost > 0)
        #expect(counters.spooled > 0)
        #expect(counters.spoolBytes <= 8_000)
        #expect(counters.trouble == "event log: \(counters.lost) event(s) lost (neither store nor spool took them)")
        #expect(writer.shutdown(timeout: .seconds(1)) == false)
    }

    @Test func afterShutdownTheSpoolKeepsWhatTheStoreDidNotTake() throws {
        let spoolPath = directory.file("spool")
        let first = try EventWriter(store: PostgresEventStore(url: unreachablePostgresURL), configuration: .init(
            spoolPath: spoolPath, retryInterval: .seconds(60)
        ))
        let events = EventFactory().sequence(20)
        for event in events { first.enqueue(event) }
        #expect(first.shutdown(timeout: .seconds(10)) == false)
        #expect(first.counters.spooled == 20)

        let second = try EventWriter(store: store, configuration: .init(spoolPath: spoolPath))
        #expect(second.flush(timeout: .seconds(10)))
        #expect(try store.query(EventFilter()).map(\.id) == events.map(\.id))
        second.shutdown(timeout: .seconds(5))
    }
}
