import Dispatch
import Foundation
import Synchronization
import Testing
@testable import NightshiftEvents

/// A sink that keeps what it receives, for checking what sinks are handed.
final class CapturingSink: EventSink {
    private let received = Mutex<[EventRecord]>([])

    var events: [EventRecord] { received.withLock { $0 } }

    func receive(_ event: EventRecord) {
        received.withLock { $0.append(event) }
    }

    func flush(timeout: Duration) -> Bool { true }
}

/// Host-style fields: an unordered dictionary, ordered by key only on the handler's thread.
struct UnorderedFields: DeferredEventFields {
    let values: [String: FieldValue]

    func eventFields() -> EventFields { EventFields(values) }
}

/// Redaction and assembly happen on the handler's thread, before any sink sees an event, whichever way it is logged.
@Suite struct EventDispatchTests {
    static let secret = "sk-live-7f3a9c2e4b"

    /// The secrets found in the events' messages and fields (ids are random hex, so they are left out).
    func leaks(_ events: [EventRecord]) -> [String] {
        let text = events.map { $0.message + " " + $0.fields.jsonText }.joined(separator: "\n")
        return [Self.secret, "db-pa55word", "tok-9f8e7d6c", "12345"].filter { text.contains($0) }
    }

    @Test func noSinkEverReceivesASecretWhicheverWayAnEventIsLogged() {
        let sink = CapturingSink()
        let context = EventContext(hostInstance: "bot-1")
        let handler = EventLogHandler(context: context, redactor: Redactor(secrets: [Self.secret]), sinks: [sink])
        handler.log(EventRecord(
            eventType: "log", hostInstance: "bot-1", runId: context.runId, message: "key \(Self.secret)",
            fields: ["api_key": "plain", "echo": "\(Self.secret)"]))
        handler.log(
            EventRecord(eventType: "attempt_failed", hostInstance: "bot-1", runId: context.runId, message: "ok"),
            adding: UnorderedFields(values: ["url": "postgres://bot:db-pa55word@10.0.0.1/x", "client_secret": 12345]))
        handler.log(
            "stream_connected", level: .notice, source: "alpaca", instance: "stocks",
            message: "Authorization: Bearer tok-9f8e7d6c", fields: ["nested": "x=\(Self.secret)y"])
        handler.log(
            "quote_seen", level: .info, source: "alpaca", instance: "stocks", message: "m",
            fields: ["first": 1], adding: UnorderedFields(values: ["password": "hunter2", "b": 2, "a": 3]))
        #expect(handler.flush(timeout: .seconds(10)))

        let events = sink.events
        #expect(events.count == 4)
        #expect(leaks(events).isEmpty)
        #expect(events.map(\.eventType) == ["log", "attempt_failed", "stream_connected", "quote_seen"])
        #expect(events[1].fields.keys == ["client_secret", "url"])
        #expect(events[3].fields.keys == ["first", "a", "b", "password"])
        #expect(events[3].fields["password"] == .string(Redactor.placeholder))
        #expect(events[2].hostInstance == "bot-1" && events[2].runId == context.runId)
        #expect(events[2].source == "alpaca" && events[2].instance == "stocks" && events[2].level == .notice)
    }

    @Test func idsMadeOnTheHandlersThreadFollowCreationOrder() throws {
        let sink = CapturingSink()
        let context = EventContext(hostInstance: "bot-1")
        let handler = EventLogHandler(context: context, sinks: [sink])
        let before = EventID.generate()
        for index in 0..<500 {
            handler.log("tick", level: .info, source: "host", instance: "host", message: "\(index)", fields: [:])
        }
        let after = EventID.generate()
        #expect(handler.flush(timeout: .seconds(10)))
        let ids = sink.events.map(\.id)
        #expect(ids.count == 500)
        #expect(ids.sorted() == ids && Set(ids).count == 500)
        #expect(ids.allSatisfy { $0 > before && $0 < after && EventID.millis(of: $0) != nil })
    }

    @Test func aFullQueueDeliversOnTheCallersThreadLosingNothingAndLeakingNothing() {
        let sink = CapturingSink()
        let handler = EventLogHandler(
            context: EventContext(hostInstance: "bot-1"), redactor: Redactor(secrets: [Self.secret]), sinks: [sink],
            queueCapacity: 2)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<500 {
                handler.log(
                    "tick", level: .info, source: "t\(thread)", instance: "t\(thread)",
                    message: "secret \(Self.secret) #\(index)", fields: ["token": "abc", "seq": .int(Int64(index))])
            }
        }
        #expect(handler.flush(timeout: .seconds(20)))
        let events = sink.events
        #expect(events.count == 2_000)
        #expect(leaks(events).isEmpty)
        #expect(events.allSatisfy { $0.fields["token"] == .string(Redactor.placeholder) })
        #expect(Set(events.map(\.id)).count == 2_000)
    }

    @Test func flushingTheWriterAloneCoversEventsStillInTheHandlersQueue() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("events.db"))
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: directory.file("spool")))
        let handler = EventLogHandler(context: EventContext(hostInstance: "bot-1"), sinks: [writer])
        for index in 0..<1_234 {
            handler.log("tick", level: .info, source: "host", instance: "host", message: "\(index)", fields: [:])
        }
        #expect(writer.flush(timeout: .seconds(20)))
        #expect(try store.query(EventFilter(limit: 10_000)).count == 1_234)
        writer.shutdown(timeout: .seconds(5))
    }

    @Test func aHandlerThatIsGoneDeliversWhatItHeld() {
        let sink = CapturingSink()
        do {
            let handler = EventLogHandler(context: EventContext(hostInstance: "bot-1"), sinks: [sink])
            for index in 0..<100 {
                handler.log("tick", level: .info, source: "host", instance: "host", message: "\(index)", fields: [:])
            }
        }
        eventually("the stopped handler's thread delivers what it held") { sink.events.count == 100 }
    }
}
