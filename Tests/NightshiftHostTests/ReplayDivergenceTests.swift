import Foundation
import NightshiftEvents
import Testing
@testable import NightshiftHost

/// Replays of recordings written entry by entry, so each case is exact: a request that differs from the recording,
/// cycles with too few or too many requests, a cycle the recording cut short, retried failures, stream links, and an
/// event store passed as a recording. The deployment's URLs point at port 1, where nothing listens.
@Suite struct ReplayDivergenceTests {
    static let start: Int64 = 1_700_000_000_000_000_000
    static let ms: Int64 = 1_000_000

    /// Cycle `number` at `start + number × 100 ms`, answered 10 ms later with /echo's answer for `price`.
    static func cycle(_ number: Int, price: String, finished: Bool = true) -> [RecordingEntry] {
        let time = start + Int64(number) * 100 * ms
        var entries: [RecordingEntry] = [
            .cycle(instance: "rates", number: number, time: time),
            ReplayFixture.echo(price: price, cycle: number, time: time + 10 * ms),
        ]
        if finished { entries.append(.cycleEnd(instance: "rates", number: number, time: time + 11 * ms)) }
        return entries
    }

    @Test func aRequestThatDiffersFromTheRecordingStopsTheReplayNamingBoth() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let recording = try fixture.writeRecording("r.jsonl", Self.cycle(1, price: "101") + Self.cycle(2, price: "99") + Self.cycle(3, price: "102"))
        let config = try fixture.writeDeployment(prices: "[101, 98.5, 102]")
        let replayed = try fixture.replay(config, from: recording)

        #expect(replayed.result.status == 1)
        #expect(replayed.result.stderr.contains(
            "rates request 1 in cycle 2 differs from the recording: the plugin asked for GET http://127.0.0.1:1/echo?symbol=AAPL&p=98.5&key=; the recording has GET http://127.0.0.1:1/echo?symbol=AAPL&p=99&key="),
            "stderr: \(replayed.result.stderr)")
        #expect(replayed.rows("replay_diverged").count == 1)
        #expect((replayed.summary["diverged"] as? String)?.contains("p=98.5") == true)
        // It stopped there: cycle 3 never ran.
        #expect(replayed.rows("quote_seen").count == 1)
        #expect(replayed.summary["entries_replayed"] as? Int == 5)
    }

    @Test func aFinishedCycleMustMakeExactlyTheRecordedRequests() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let config = try fixture.writeDeployment()

        // Recorded with two responses, replayed with one request: the second was never asked for.
        let extra = ReplayFixture.echo(price: "101", cycle: 1, time: Self.start + 150 * Self.ms)
        var entries = Self.cycle(1, price: "101")
        entries.insert(extra, at: 2)
        let tooMany = try fixture.replay(config, from: try fixture.writeRecording("many.jsonl", entries))
        #expect(tooMany.result.status == 1)
        #expect(tooMany.result.stderr.contains(
            "rates cycle 1 ended without making 1 recorded request(s); the first: GET http://127.0.0.1:1/echo?symbol=AAPL&p=101&key="),
            "stderr: \(tooMany.result.stderr)")

        // Recorded as finished without a response, replayed with a request: nothing in the recording answers it.
        let none: [RecordingEntry] = [
            .cycle(instance: "rates", number: 1, time: Self.start), .cycleEnd(instance: "rates", number: 1, time: Self.start + Self.ms),
        ]
        let tooFew = try fixture.replay(config, from: try fixture.writeRecording("few.jsonl", none))
        #expect(tooFew.result.status == 1)
        #expect(tooFew.result.stderr.contains(
            "rates made request 1 in cycle 1, GET http://127.0.0.1:1/echo?symbol=AAPL&p=101&key=, but the recording has no further request there"),
            "stderr: \(tooFew.result.stderr)")
    }

    @Test func aCycleTheRecordingCutShortEndsWhereTheRecordingEnds() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let config = try fixture.writeDeployment()
        // The recording run stopped while cycle 2's request was still to be made: no response, no cycle_end.
        let cut = Self.cycle(1, price: "101") + [.cycle(instance: "rates", number: 2, time: Self.start + 200 * Self.ms)]
        let replayed = try fixture.replay(config, from: try fixture.writeRecording("cut.jsonl", cut))

        #expect(replayed.result.status == 0, "stderr: \(replayed.result.stderr)")
        #expect(replayed.rows("replay_diverged").isEmpty)
        #expect(replayed.rows("quote_seen").count == 1)
        #expect(replayed.summary["cycles"] as? Int == 2)
    }

    @Test func retriedRequestsGetTheRecordedFailuresAtTheRecordedTimes() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let config = try fixture.writeDeployment(prices: "[99]")
        let time = Self.start + 100 * Self.ms
        let url = "http://127.0.0.1:1/echo?symbol=AAPL&p=99&key="
        let entries: [RecordingEntry] = [
            .cycle(instance: "rates", number: 1, time: time),
            .http(RecordedExchange(instance: "rates", cycle: 1, time: time + 5 * Self.ms, method: "GET", url: url, status: 503)),
            .http(RecordedExchange(
                instance: "rates", cycle: 1, time: time + 20 * Self.ms, method: "GET", url: url, status: 0, errorCode: "connect",
                error: "connection refused")),
            ReplayFixture.echo(price: "99", cycle: 1, time: time + 40 * Self.ms),
            .cycleEnd(instance: "rates", number: 1, time: time + 41 * Self.ms),
        ]
        let replayed = try fixture.replay(config, from: try fixture.writeRecording("retry.jsonl", entries))

        #expect(replayed.result.status == 0, "stderr: \(replayed.result.stderr)")
        #expect(replayed.rows("attempt_failed").compactMap { $0.fields["attempt"]?.intValue } == [1, 2])
        #expect(replayed.rows("attempt_failed").last?.text("error")?.contains("connection refused") == true)
        #expect(replayed.rows("quote_seen").compactMap { $0.fields["now_ns"]?.intValue } == [time + 40 * Self.ms])
        // The quote at 99.05 was below 100: one order, filled by the paper broker at the recorded ask.
        #expect(replayed.rows("order_submitted").map(\.instance) == ["dip-aapl"])
        #expect(replayed.rows("trade_executed").compactMap { $0.number("price") } == [99.05])
        #expect(replayed.summary["responses"] as? Int == 3)
    }

    @Test func streamLinksReplayTheirCallbacksOnTheRecordingsClock() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let config = try fixture.writeDeployment()
        func trade(_ price: Int) -> String { #"[{"T": "t", "S": "MSFT", "i": 0, "p": \#(price), "s": 1}]"# }
        let t = Self.start
        let entries: [RecordingEntry] = [
            .open(instance: "trades", link: 1, time: t + Self.ms),
            .frame(instance: "trades", link: 1, time: t + 2 * Self.ms, text: #"[{"T": "success", "msg": "connected"}]"#),
            .frame(instance: "trades", link: 1, time: t + 3 * Self.ms, text: trade(100)),
            .frame(instance: "trades", link: 1, time: t + 4 * Self.ms, text: trade(101)),
            .close(instance: "trades", link: 1, time: t + 5 * Self.ms),
            // A frame with no open link is not handed to the plugin.
            .frame(instance: "trades", link: 1, time: t + 6 * Self.ms, text: trade(90)),
            .open(instance: "trades", link: 2, time: t + 7 * Self.ms),
            .frame(instance: "trades", link: 2, time: t + 8 * Self.ms, text: trade(100)),
        ]
        let replayed = try fixture.replay(config, from: try fixture.writeRecording("stream.jsonl", entries))

        #expect(replayed.result.status == 0, "stderr: \(replayed.result.stderr)")
        let quotes = replayed.rows("quote_seen")
        #expect(quotes.compactMap { $0.text("price") } == ["100", "101", "100"])
        #expect(quotes.compactMap { $0.fields["now_ns"]?.intValue } == [t + 3 * Self.ms, t + 4 * Self.ms, t + 8 * Self.ms])
        // dip-msft signals at 100 on each link (re-armed by 101 and by nothing else) and orders 5: blocked both times.
        #expect(replayed.rows("trade_blocked").map(\.instance) == ["dip-msft", "dip-msft"])
        #expect(replayed.summary["blocked"] as? [String: Int] == ["quantity 5 exceeds max_order_qty 3": 2])
        #expect(replayed.summary["frames"] as? Int == 4)
    }

    @Test func anEventStoreOrADatabaseURLIsAUsageError() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let config = try fixture.writeDeployment()
        let database = fixture.directory.path + "/events.sqlite"
        _ = try SQLiteEventStore(path: database).migrate()
        for source in [database, "postgresql://bot@db/events"] {
            let result = try CLIProcess.run(["replay", config, "--from", source])
            #expect(result.status == 64)
            #expect(result.stderr.contains("an event store holds no market data and cannot be replayed"), "stderr: \(result.stderr)")
        }
        let missing = try CLIProcess.run(["replay", config])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("missing required option '--from <recording>'"))
    }
}
