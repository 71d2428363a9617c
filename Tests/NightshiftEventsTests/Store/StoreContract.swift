import Testing
@testable import NightshiftEvents

/// Behaviour every `EventStore` must show, checked against SQLite and PostgreSQL alike.
enum StoreContract {
    /// Migrations apply once; a second run, even from a second store object, applies nothing.
    static func migrationsAreIdempotent(_ store: any EventStore, _ again: any EventStore) throws {
        #expect(try store.migrate() == [1])
        #expect(try store.migrate() == [])
        #expect(try again.migrate() == [])
        #expect(try store.insert(EventFactory().sequence(3)) == 3)
    }

    /// The same batch twice is stored once.
    static func insertIsIdempotent(_ store: any EventStore) throws {
        try store.migrate()
        let factory = EventFactory()
        let batch = factory.sequence(120, start: 0)
        #expect(try store.insert(batch) == 120)
        #expect(try store.insert(batch) == 0)
        let overlapping = Array(batch[100...]) + factory.sequence(5, start: 500)
        #expect(try store.insert(overlapping) == 5)
        let stored = try store.query(EventFilter(runId: factory.runId, limit: 10_000))
        #expect(stored.count == 125)
        #expect(Set(stored.map(\.id)).count == 125)
        #expect(try store.insert([]) == 0)
    }

    /// Summary, query filters and tail over a known set of events.
    static func queriesAreCorrect(_ store: any EventStore) throws {
        try store.migrate()
        let factory = EventFactory()
        var events: [EventRecord] = []
        events.append(factory.make("stream_connected", at: 10, source: "alpaca", instance: "stocks"))
        events.append(factory.make("attempt_failed", at: 20, level: .warning, source: "open-meteo", instance: "wx"))
        events.append(factory.make("attempt_failed", at: 30, level: .warning, source: "open-meteo", instance: "wx"))
        events.append(factory.make("retry_exhausted", at: 40, level: .error, source: "open-meteo", instance: "wx"))
        events.append(factory.make("attempt_failed", at: 50, level: .warning, source: "kalshi", instance: "k"))
        events.append(factory.make("trade_executed", at: 60, level: .notice, source: "paper-broker", instance: "paper"))
        events.append(factory.make("stream_disconnected", at: 70, level: .critical, source: "alpaca", instance: "stocks"))
        events.append(factory.make("log", at: 5_000, level: .debug))
        try store.insert(events.shuffled())
        let origin = EventFactory.origin
        let second = EventTime.microsPerSecond

        let summary = try store.summary(since: origin + 15 * second, until: origin + 4_000 * second)
        #expect(summary == [
            EventSummaryRow(eventType: "attempt_failed", count: 3, firstSeen: origin + 20 * second,
                            lastSeen: origin + 50 * second),
            EventSummaryRow(eventType: "retry_exhausted", count: 1, firstSeen: origin + 40 * second,
                            lastSeen: origin + 40 * second),
            EventSummaryRow(eventType: "stream_disconnected", count: 1, firstSeen: origin + 70 * second,
                            lastSeen: origin + 70 * second),
            EventSummaryRow(eventType: "trade_executed", count: 1, firstSeen: origin + 60 * second,
                            lastSeen: origin + 60 * second),
        ])
        #expect(try store.summary(since: origin).map(\.count).reduce(0, +) == 8)

        func ids(_ filter: EventFilter) throws -> [String] { try store.query(filter).map(\.id) }
        var filter = EventFilter(runId: factory.runId)
        #expect(try ids(filter) == events.map(\.id))
        filter.eventTypes = ["attempt_failed", "retry_exhausted"]
        #expect(try ids(filter) == [events[1], events[2], events[3], events[4]].map(\.id))
        filter.source = "open-meteo"
        #expect(try ids(filter) == [events[1], events[2], events[3]].map(\.id))
        filter.minimumLevel = .error
        #expect(try ids(filter) == [events[3].id])
        filter = EventFilter(instance: "stocks", runId: factory.runId)
        #expect(try ids(filter) == [events[0].id, events[6].id])
        filter = EventFilter(minimumLevel: .error, runId: factory.runId)
        #expect(try ids(filter) == [events[3].id, events[6].id])
        filter = EventFilter(runId: factory.runId, since: origin + 30 * second, until: origin + 60 * second)
        #expect(try ids(filter) == [events[2], events[3], events[4]].map(\.id))
        filter = EventFilter(runId: factory.runId, limit: 2, newestFirst: true)
        #expect(try ids(filter) == [events[7].id, events[6].id])
        #expect(try store.query(EventFilter(runId: "someone-else")).isEmpty)

        let byId = events.sorted { $0.id < $1.id }
        #expect(try store.tail(after: nil, limit: 3).map(\.id) == byId.suffix(3).map(\.id))
        #expect(try store.tail(after: byId[2].id, limit: 2).map(\.id) == [byId[3].id, byId[4].id])
        #expect(try store.tail(after: byId.last!.id, limit: 10).isEmpty)
    }

    /// Every value travels as a parameter: SQL-looking text is stored and read back verbatim.
    static func valuesAreParameters(_ store: any EventStore) throws {
        try store.migrate()
        let hostile = "'); DROP TABLE bot_events; --"
        let texts = [hostile, "\"quoted\" and 'single' \\ backslash", "$1 ? :name %s", "ünïcødé 🚀\nnew line\ttab",
                     "{\"json\": [1, 2]}", "'' OR 1=1 --"]
        let factory = EventFactory()
        let events = texts.enumerated().map { index, text in
            factory.make(text, at: Int64(index), source: text, instance: text, message: text, fields: [
                text: .string(text), "n": .int(Int64(index)), "d": 0.1, "whole": 2.0, "t": true, "z": nil,
                "max": .int(Int64.max),
            ])
        }
        #expect(try store.insert(events) == events.count)
        let stored = try store.query(EventFilter(runId: factory.runId))
        #expect(stored.count == events.count)
        for (original, read) in zip(events, stored) {
            #expect(read.eventType == original.eventType)
            #expect(read.source == original.source && read.instance == original.instance)
            #expect(read.message == original.message)
            #expect(read.createdAt == original.createdAt)
            #expect(read.fields.dictionary == original.fields.dictionary)
        }
        #expect(try store.query(EventFilter(eventTypes: [hostile], source: hostile)).map(\.message) == [hostile])
        #expect(try store.summary(since: 0).count >= texts.count)
    }
}
