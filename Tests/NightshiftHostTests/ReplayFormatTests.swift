import Foundation
import NightshiftIO
import Synchronization
import Testing
@testable import NightshiftHost

/// The recording format and the replay's pure parts: entries to JSON lines and back, what reading refuses, speeds,
/// secret scrubbing, the ledger behind the summary, and the progress text.
@Suite struct ReplayFormatTests {
    static let entries: [RecordingEntry] = [
        .header(RecordingHeader(
            deployment: "/etc/bot.yaml", host: "h", runID: "run-1", startedAt: 1_700_000_000_000_000_000,
            instances: [.init(name: "rates", plugin: "p", kinds: ["poll-source"])])),
        .cycle(instance: "rates", number: 1, time: 1_700_000_000_100_000_000),
        .http(RecordedExchange(
            instance: "rates", cycle: 1, time: 1_700_000_000_200_000_000, method: "GET", url: "http://x/q?a=1", status: 200,
            headers: [RecordedHeader(name: "content-type", value: "application/json")], body: [0, 255, 10, 34, 92])),
        .http(RecordedExchange(
            instance: "rates", cycle: 1, time: 1_700_000_000_300_000_000, method: "GET", url: "http://x/q", status: 0,
            errorCode: "timeout", error: "timed out")),
        .cycleEnd(instance: "rates", number: 1, time: 1_700_000_000_400_000_000),
        .open(instance: "feed", link: 2, time: 5),
        .frame(instance: "feed", link: 2, time: 6, text: "[{\"T\":\"t\",\"p\":1}]\n\u{2713}"),
        .close(instance: "feed", link: 2, time: 7),
    ]

    @Test func everyEntryRoundTripsThroughOneJSONLine() throws {
        for entry in Self.entries {
            let line = entry.jsonLine
            #expect(!line.contains("\n"))
            #expect(try RecordingEntry(jsonLine: line, file: "r", line: 1) == entry)
        }
        // Bodies are base64, frames JSON strings.
        #expect(Self.entries[2].jsonLine.contains(#""body_base64":"AP8KIlw=""#))
        #expect(Self.entries[6].jsonLine.contains(#""text":"[{\"T\":\"t\",\"p\":1}]\n✓""#))
    }

    @Test func readingKeepsFileOrderAndGroupsExchangesByCycle() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("r.jsonl", Self.entries.map(\.jsonLine).joined(separator: "\n") + "\n")
        let recording = try Recording.read(path: path)
        #expect(recording.header.runID == "run-1")
        #expect(recording.entries == Array(Self.entries.dropFirst()))
        // Exchanges of cycles are fed at their place; only those outside cycles are left out (none here).
        #expect(recording.timeline.count == 7)
        #expect(recording.exchanges(of: "rates")[1]?.map(\.status) == [200, 0])
        #expect(recording.completedCycles(of: "rates") == [1])
    }

    @Test func aTruncatedLastLineIsDroppedButABadLineElsewhereNamesFileAndLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = Self.entries.prefix(3).map(\.jsonLine).joined(separator: "\n")
        let cut = try directory.write("cut.jsonl", good + "\n" + #"{"type":"frame","inst"#)
        #expect(try Recording.read(path: cut).entries.count == 2)

        let bad = try directory.write("bad.jsonl", good + "\n{\"type\":\"cycle\",\"instance\":\"rates\"}\n")
        #expect {
            try Recording.read(path: bad)
        } throws: { error in
            (error as? ReplayError)?.description == "\(bad):4: missing 'cycle'"
        }
        let newer = try directory.write("newer.jsonl", Self.entries[0].jsonLine.replacingOccurrences(of: #""version":1"#, with: #""version":9"#))
        #expect { try Recording.read(path: newer) } throws: { ($0 as? ReplayError)?.code == .unsupportedVersion }
        let headless = try directory.write("headless.jsonl", Self.entries[1].jsonLine + "\n" + Self.entries[1].jsonLine + "\n")
        #expect { try Recording.read(path: headless) } throws: { ($0 as? ReplayError)?.description.contains("header") == true }
    }

    @Test func anEventStoreIsRefusedAsARecording() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.path + "/events.sqlite"
        _ = FileManager.default.createFile(atPath: database, contents: Data("SQLite format 3\u{0}".utf8) + Data(count: 100))
        for source in [database, "postgres://bot@db/events"] {
            #expect { try Recording.read(path: source) } throws: { error in
                let error = error as? ReplayError
                return error?.code == .notARecording && error?.message.contains("holds no market data") == true
            }
        }
    }

    @Test func theRecorderNumbersCyclesAndLinksAndNeverOverwrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/r.jsonl"
        let clock = Atomic<Int64>(1000)
        let header = RecordingHeader(deployment: "d.yaml", host: "h", runID: "run", startedAt: 1000, instances: [])
        let recorder = try Recorder(path: path, header: header, secrets: ["topsecret-1"]) { clock.add(10, ordering: .relaxed).newValue }
        let request = NightshiftIO.HTTPRequest(url: "http://h/q?k=topsecret-1")
        recorder.exchange(instance: "rates", request: request, result: .failure(TransportError(code: .connect, message: "refused")))
        recorder.cycleBegan(instance: "rates", at: 5)
        recorder.exchange(instance: "rates", request: request, result: .response(HTTPResponse(
            status: 200, headers: [(name: "Set-Cookie", value: "s=1"), (name: "x-echo", value: "topsecret-1")],
            body: Array("key=topsecret-1".utf8))))
        recorder.cycleEnded(instance: "rates", finished: true)
        recorder.cycleBegan(instance: "rates", at: 6)
        recorder.cycleEnded(instance: "rates", finished: false)
        recorder.streamOpened(instance: "feed")
        recorder.streamFrame(instance: "feed", text: "{\"token\":\"topsecret-1\"}")
        recorder.streamClosed(instance: "feed")
        recorder.streamOpened(instance: "feed")
        #expect(recorder.failure == nil)
        #expect(recorder.entryCount == 10)

        let recording = try Recording.read(path: path)
        // The clock is read under the recorder's lock for every line (the header's included), 10 ns per read here.
        #expect(recording.entries == [
            .http(RecordedExchange(
                instance: "rates", cycle: 0, time: 1020, method: "GET", url: "http://h/q?k=[REDACTED]", status: 0,
                errorCode: "connect", error: "refused")),
            .cycle(instance: "rates", number: 1, time: 5),
            .http(RecordedExchange(
                instance: "rates", cycle: 1, time: 1040, method: "GET", url: "http://h/q?k=[REDACTED]", status: 200,
                headers: [RecordedHeader(name: "set-cookie", value: "[REDACTED]"), RecordedHeader(name: "x-echo", value: "[REDACTED]")],
                body: Array("key=[REDACTED]".utf8))),
            .cycleEnd(instance: "rates", number: 1, time: 1050),
            // A cycle a shutdown cut short gets no cycle_end.
            .cycle(instance: "rates", number: 2, time: 6),
            .open(instance: "feed", link: 1, time: 1070),
            .frame(instance: "feed", link: 1, time: 1080, text: "{\"token\":\"[REDACTED]\"}"),
            .close(instance: "feed", link: 1, time: 1090),
            .open(instance: "feed", link: 2, time: 1100),
        ])
        #expect(recording.completedCycles(of: "rates") == [1])

        #expect { try Recorder(path: path, header: header, secrets: []) } throws: { error in
            (error as? ReplayError)?.description == "\(path): cannot create the recording: already exists; choose another file"
        }
    }

    @Test func speedsParse() {
        #expect(ReplaySpeed("max") == .max)
        #expect(ReplaySpeed("1x") == .factor(1))
        #expect(ReplaySpeed("10x") == .factor(10))
        #expect(ReplaySpeed("0.5x") == .factor(0.5))
        for bad in ["", "x", "0x", "-1x", "fast", "10", "infx"] { #expect(ReplaySpeed(bad) == nil) }
        #expect(ReplaySpeed.factor(10).description == "10x")
    }

    @Test func theScrubberRemovesExactSecretsFromBytesTextHeadersAndURLs() {
        let scrubber = SecretScrubber(secrets: ["hunter2-key", "abc"])
        #expect(scrubber.bytes(Array("x=hunter2-key&y=hunter2-key".utf8)) == Array("x=[REDACTED]&y=[REDACTED]".utf8))
        // Values shorter than the redactor's minimum are left alone: they would blank ordinary words.
        #expect(scrubber.text("abc hunter2-key") == "abc [REDACTED]")
        #expect(scrubber.header(name: "set-cookie", value: "session=1").value == "[REDACTED]")
        #expect(scrubber.header(name: "x-echo", value: "hunter2-key").value == "[REDACTED]")
        #expect(scrubber.header(name: "content-type", value: "text/plain").value == "text/plain")
        #expect(scrubber.url("http://h/q?k=hunter2-key&api_key=zzz9") == "http://h/q?k=[REDACTED]&api_key=[REDACTED]")
        // Binary bodies keep every other byte.
        #expect(scrubber.bytes([0, 255, 104, 117]) == [0, 255, 104, 117])
    }

    @Test func theLedgerCountsFillsOnceAndPricesEachIncrement() {
        var ledger = ReplayLedger()
        ledger.record("order_submitted", fields: ["symbol": .string("A"), "side": .string("buy")])
        // A partial fill of 2 at 10, then the rest: 4 filled at an average of 10.5, so the second fill paid 22.
        ledger.record("trade_executed", fields: [
            "client_order_id": .string("o1"), "symbol": .string("A"), "side": .string("buy"),
            "filled_qty": .double(2), "price": .double(10),
        ])
        ledger.record("trade_executed", fields: [
            "client_order_id": .string("o1"), "symbol": .string("A"), "side": .string("buy"),
            "filled_qty": .double(4), "price": .double(10.5),
        ])
        ledger.record("order_submitted", fields: [:])
        ledger.record("trade_executed", fields: [
            "client_order_id": .string("o2"), "symbol": .string("A"), "side": .string("sell"),
            "filled_qty": .int(1), "price": .double(12),
        ])
        ledger.record("trade_blocked", fields: ["reason": .string("too big")])
        ledger.record("trade_blocked", fields: ["reason": .string("too big")])
        ledger.record("order_rejected", fields: [:])
        ledger.record("quote_seen", fields: [:])

        #expect(ledger.orders == 2)
        #expect(ledger.fills == 3)
        #expect(ledger.rejected == 1)
        #expect(ledger.blocked == ["too big": 2])
        let book = ledger.books["A"]
        #expect(book?.bought == 4)
        #expect(book?.sold == 1)
        // 2 × 10 and 2 × 11 bought, 1 × 12 sold; 3 held at 11.
        #expect(book?.cash == -30.0)
        #expect(book?.pnl(lastPrice: 11) == 3.0)

        let summary = ReplaySummary(
            statistics: { var s = ReplaySession.Statistics(); s.lastPrices = ["A": 1_100_000_000]; return s }(),
            ledger: ledger, eventStore: "/tmp/e.sqlite", divergence: nil)
        #expect(summary.symbols == [.init(symbol: "A", bought: 4, sold: 1, position: 3, cash: -30, lastPrice: 11, pnl: 3)])
        #expect(summary.text.contains("2 submitted, 3 fills, 1 rejected"))
        #expect(summary.text.contains("    2  too big"))
    }

    @Test func progressIsABarOnATerminalAndLinesOtherwise() {
        let bar = ReplayProgress.render(.bar, done: 5, total: 20, time: 1_700_000_000_000_000_000)
        #expect(bar == "\r[#######.......................]  25% 5/20 entries, at 2023-11-14T22:13:20Z")
        let line = ReplayProgress.render(.lines, done: 20, total: 20, time: 0)
        #expect(line == "replay: 100% (20/20 entries, at 1970-01-01T00:00:00Z)\n")
    }
}
