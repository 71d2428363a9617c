import Foundation
import Testing
import Synchronization
@testable import NightshiftEvents

/// Every value a store handles travels as a bound parameter or `COPY` data, never as SQL text.
///
/// The store's connection hands each statement's text to an observer before the database sees it. Events whose every
/// value carries a unique marker (and SQL-looking payloads) go through migrate, insert (twice: the second takes the
/// idempotent path), query with every filter, summary and tail; no statement text may hold a marker, and the values
/// must come back intact.
enum ParameterisedSQL {
    /// Collects statement texts from a store's observer.
    final class Statements: Sendable {
        private let texts = Mutex<[String]>([])
        func record(_ text: String) { texts.withLock { $0.append(text) } }
        var all: [String] { texts.withLock { $0 } }
    }

    static func valuesNeverBecomeSQLText(_ store: any EventStore, statements: Statements) throws {
        let marker = "mk" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let hostile = "\(marker)'); DROP TABLE bot_events; --"
        var factory = EventFactory()
        factory.hostInstance = "host-\(marker)"
        factory.runId = "run-\(marker)"
        let events = (0..<40).map { index in
            factory.make(
                "type_\(marker)", at: Int64(index), source: "src-\(marker)", instance: "inst-\(marker)",
                message: "\(hostile) #\(index)", fields: ["key_\(marker)": .string(hostile), "n": .int(Int64(index))])
        }
        #expect(!statements.all.isEmpty, "the observer saw the migrations")
        #expect(try store.insert(events) == 40)
        #expect(try store.insert(Array(events.prefix(10))) == 0)

        let origin = EventFactory.origin
        let filter = EventFilter(
            eventTypes: ["type_\(marker)", "other_\(marker)"], source: "src-\(marker)", instance: "inst-\(marker)",
            minimumLevel: .info, runId: "run-\(marker)", since: origin, until: origin + 100 * EventTime.microsPerSecond,
            limit: 100)
        let found = try store.query(filter)
        #expect(found.count == 40)
        #expect(found.first?.message == "\(hostile) #0")
        #expect(found.first?.fields["key_\(marker)"] == .string(hostile))
        #expect(try store.summary(since: origin, until: nil).contains { $0.eventType == "type_\(marker)" && $0.count == 40 })
        #expect(try store.tail(after: found[5].id, limit: 10).count == 10)

        let texts = statements.all
        #expect(texts.contains { $0.localizedCaseInsensitiveContains("select") })
        #expect(texts.contains { $0.localizedCaseInsensitiveContains("insert") || $0.localizedCaseInsensitiveContains("copy") })
        for text in texts {
            #expect(!text.contains(marker), "a value was formatted into SQL text: \(text.prefix(300))")
        }
    }
}
