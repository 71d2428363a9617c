import Foundation
import Testing
@testable import NightshiftEvents

@Suite struct LoggerTests {
    @Test func eventsCarryContextInstanceLevelAndMetadata() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("events.db"))
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: directory.file("spool")))
        let context = EventContext(hostInstance: "bot-1")
        let handler = EventLogHandler(context: context, sinks: [writer])
        var logger = Logger(label: "open-meteo", instance: "weather-eu", handler: handler)
        logger[metadataKey: "city"] = "Berlin"
        logger.debug("not built: below the level")
        logger.info("forecast fetched", metadata: ["members": 31, "city": "Paris"])
        logger.event("attempt_failed", level: .warning, message: "HTTP 503", metadata: ["attempt": 2, "delay_ms": 800])
        logger.logLevel = .trace
        logger.trace("now built")

        #expect(writer.shutdown(timeout: .seconds(10)))
        let rows = try store.query(EventFilter(runId: context.runId))
        #expect(rows.map(\.eventType) == ["log", "attempt_failed", "log"])
        #expect(rows.map(\.level) == [.info, .warning, .trace])
        #expect(rows.allSatisfy { $0.source == "open-meteo" && $0.instance == "weather-eu" })
        #expect(rows.allSatisfy { $0.hostInstance == "bot-1" && $0.runId == context.runId })
        #expect(rows[0].fields.dictionary == ["city": "Paris", "members": 31])
        #expect(rows[1].fields.keys == ["city", "attempt", "delay_ms"])
        #expect(rows[1].message == "HTTP 503")
    }

    @Test func secretsReachNeitherStdoutNorTheStore() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("events.db"))
        let writer = try EventWriter(store: store, configuration: .init(spoolPath: directory.file("spool")))
        let outputPath = directory.file("stdout.jsonl")
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let stdout = JSONLinesSink(fileDescriptor: fd)
        let secret = "sk-live-7f3a9c2e4b"
        let handler = EventLogHandler(
            context: EventContext(hostInstance: "bot-1"), redactor: Redactor(secrets: [secret]), sinks: [stdout, writer]
        )
        let logger = Logger(label: "host", handler: handler)
        logger.error("auth failed with key \(secret)", metadata: ["echo": "\(secret)", "api_key": "\(secret)"])
        logger.info("connecting to postgres://bot:db-pa55word@10.0.0.1/events")
        logger.event("stream_connected", message: "ok", metadata: [
            "header": "Authorization: Bearer tok-9f8e7d6c", "client_secret": 12345, "nested": "x=\(secret)y",
        ])

        #expect(handler.flush(timeout: .seconds(10)))
        let printed = try String(contentsOfFile: outputPath, encoding: .utf8)
        let stored = try store.query(EventFilter()).map(\.jsonLine).joined(separator: "\n")
        for text in [printed, stored] {
            #expect(text.split(separator: "\n").count == 3)
            for leaked in [secret, "db-pa55word", "tok-9f8e7d6c", "12345"] { #expect(!text.contains(leaked)) }
            #expect(text.contains("[REDACTED]"))
            #expect(text.contains("postgres://bot:[REDACTED]@10.0.0.1/events"))
        }
        #expect(stdout.droppedCount == 0)
        writer.shutdown(timeout: .seconds(5))
    }

    @Test func stdoutLinesAreTheEventJSON() throws {
        let directory = try TemporaryDirectory()
        let outputPath = directory.file("stdout.jsonl")
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        let sink = JSONLinesSink(fileDescriptor: fd)
        let events = EventFactory().sequence(250)
        for event in events { sink.receive(event) }
        #expect(sink.flush(timeout: .seconds(10)))
        let lines = try String(contentsOfFile: outputPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.compactMap { EventRecord(jsonLine: String($0)) } == events)
    }

    @Test func aFullStdoutQueueDropsAndCounts() throws {
        // A pipe nobody reads fills after 64 KiB, so the sink's thread blocks on the first line and its queue of 5
        // overflows: 4 to 9 small events are kept, depending on how many the thread took along with the big one.
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let sink = JSONLinesSink(fileDescriptor: ends[1], capacity: 5)
        sink.receive(EventFactory().make("log", message: String(repeating: "x", count: 70_000)))
        for event in EventFactory().sequence(100) { sink.receive(event) }
        #expect(sink.droppedCount >= 91)
        #expect(sink.droppedCount <= 96)

        // Drain the pipe so the blocked write finishes before the descriptors close.
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var received = 0
        func drainPipe() {
            while case let count = read(ends[0], &buffer, buffer.count), count > 0 { received += count }
        }
        eventually("the sink writes everything it kept") {
            drainPipe()
            return sink.flush(timeout: .milliseconds(5))
        }
        drainPipe()
        #expect(received > 70_000)
    }
}
