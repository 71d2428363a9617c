import Testing
@testable import NightshiftEvents

/// Batches of every size go through the prepared multi-row statements (SQLite) and `COPY` (PostgreSQL) alike.
enum BatchInsertContract {
    /// Batch sizes around the statement sizes, each inserted twice and then overlapping, read back exactly.
    static func everyBatchSizeIsStoredOnceAndReadBackExactly(_ store: any EventStore) throws {
        try store.migrate()
        let factory = EventFactory()
        var stored: [EventRecord] = []
        for size in [1, 2, 3, 31, 32, 33, 63, 64, 65, 100, 517] {
            let batch = (0..<size).map { index -> EventRecord in
                let message: String = index % 3 == 0 ? "" : "row \(index)\ttab\\slash\nline"
                let text: String = index % 2 == 0 ? "" : "v\(index)"
                let fields: EventFields = ["index": .int(Int64(index)), "text": .string(text)]
                return factory.make("batch_\(size)", message: message, fields: fields)
            }
            #expect(try store.insert(batch) == size)
            #expect(try store.insert(batch) == 0)
            stored += batch
        }
        let extra = factory.sequence(7, start: 900)
        #expect(try store.insert(Array(stored.suffix(5)) + extra) == 7)
        stored += extra
        let read = try store.query(EventFilter(runId: factory.runId, limit: 10_000))
        #expect(read.count == stored.count)
        let byId = Dictionary(uniqueKeysWithValues: read.map { ($0.id, $0) })
        for event in stored {
            let back = byId[event.id]
            #expect(back?.message == event.message && back?.eventType == event.eventType)
            #expect(back?.createdAt == event.createdAt)
            #expect(back?.fields.dictionary == event.fields.dictionary)
        }
    }

    /// Times keep every microsecond, before and after the epoch.
    static func timesKeepEveryMicrosecond(_ store: any EventStore) throws {
        try store.migrate()
        let factory = EventFactory()
        let times: [Int64] = [1_714_521_600_123_457, 1_714_521_600_999_999, 1, -1_234_567, 4_102_444_799_999_999]
        let events = times.map { EventRecord(createdAt: $0, eventType: "t", hostInstance: "h", runId: factory.runId) }
        #expect(try store.insert(events) == times.count)
        let read = try store.query(EventFilter(runId: factory.runId))
        #expect(Set(read.map(\.createdAt)) == Set(times))
    }
}

@Suite struct SQLiteBatchInsertTests {
    @Test func everyBatchSizeIsStoredOnceAndReadBackExactly() throws {
        let directory = try TemporaryDirectory()
        try BatchInsertContract.everyBatchSizeIsStoredOnceAndReadBackExactly(
            SQLiteEventStore(path: directory.file("events.db")))
    }

    @Test func timesKeepEveryMicrosecond() throws {
        let directory = try TemporaryDirectory()
        try BatchInsertContract.timesKeepEveryMicrosecond(SQLiteEventStore(path: directory.file("events.db")))
    }
}

extension PostgresTests {
    @Test func everyBatchSizeIsStoredOnceAndReadBackExactly() throws {
        try BatchInsertContract.everyBatchSizeIsStoredOnceAndReadBackExactly(PostgresServer.freshStore())
    }

    @Test func timesKeepEveryMicrosecond() throws {
        try BatchInsertContract.timesKeepEveryMicrosecond(PostgresServer.freshStore())
    }

    @Test func aBatchCopiedAfterAReconnectStillSkipsStoredIds() throws {
        let store = try PostgresServer.freshStore()
        try store.migrate()
        let batch = EventFactory().sequence(40)
        #expect(try store.insert(Array(batch.prefix(10))) == 10)
        store.disconnect()
        // The duplicate path needs the per-session staging table, which a new session must make again.
        #expect(try store.insert(batch) == 30)
        #expect(try store.insert(batch) == 0)
        #expect(try store.query(EventFilter(limit: 100)).count == 40)
    }
}
