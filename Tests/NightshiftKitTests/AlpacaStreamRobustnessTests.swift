import AlpacaStream
import NightshiftKit
import NightshiftKitTesting
import Testing

/// Frames that are cut, corrupted or hostile: the stream plugin never crashes, reports them, and keeps working.
@Suite struct AlpacaStreamRobustnessTests {
    /// A small deterministic generator (SplitMix64), so a failing input can be reproduced.
    private struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Bytes that matter to a JSON scanner, plus some that never should appear.
    private static let replacements: [UInt8] = Array(#"{]",:\9"#.utf8) + [0x00, 0xFF]

    /// Every prefix of each recorded frame, each byte replaced, dropped and doubled.
    private static func mutations(of frame: String) -> [[UInt8]] {
        let bytes = Array(frame.utf8)
        var result = (0...bytes.count).map { Array(bytes[..<$0]) }
        for index in bytes.indices {
            for replacement in replacements where replacement != bytes[index] {
                var mutated = bytes
                mutated[index] = replacement
                result.append(mutated)
            }
            var dropped = bytes
            dropped.remove(at: index)
            result.append(dropped)
            var doubled = bytes
            doubled.insert(bytes[index], at: index)
            result.append(doubled)
        }
        return result
    }

    /// Inputs no mutation of a fixture reaches: deep nesting, huge tokens, random bytes.
    private static func hostile() -> [[UInt8]] {
        let zeros = String(repeating: "0", count: 10_000)
        let longName = String(repeating: "A", count: 100_000)
        var result: [[UInt8]] = [
            Array(String(repeating: "[", count: 100_000).utf8),
            Array(("[" + String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000)).utf8),
            Array(#"[{"T":"t","S":"AAPL","p":1\#(zeros),"s":1,"t":"2021-01-01T00:00:00Z"}]"#.utf8),
            Array(#"[{"T":"t","S":"\#(longName)","p":1,"s":1,"t":"2021-01-01T00:00:00Z"}]"#.utf8),
            Array(#"[{"T":"q","S":"AAPL","bp":-0,"ap":-0.0e-0,"t":"2021-01-01T00:00:00Z","c":[[[[[]]]]]}]"#.utf8),
            Array(#"[{"T":"error","code":99999999999999999999,"msg":"\ud800\u00zz"}]"#.utf8),
            Array(#"[{"T":"error","code":402,"msg":"\ud83d\ude00 \"quoted\" \\ \/"}]"#.utf8),
            Array(#"[1,"two",null,true,false,{},[],{"T":null,"S":{},"t":[]}]"#.utf8),
            Array(#"{"T":"t","S":"AAPL","p":1,"s":1,"t":"2021-01-01T00:00:00Z"} trailing"#.utf8),
            Array("\u{FEFF}[]".utf8), [], Array("   ".utf8), Array("[]]".utf8), Array("[,]".utf8),
        ]
        var generator = Generator(state: 20_250_101)
        let alphabet = Array(#"{}[]":,.-+0123456789eEtfnrulsaTSpqbx\ "#.utf8)
        for _ in 0..<3_000 {
            result.append((0..<generator.below(64)).map { _ in alphabet[generator.below(alphabet.count)] })
        }
        return result
    }

    @Test func mutatedAndHostileFramesNeverCrashAndTheStreamKeepsWorking() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        var inputs = try AlpacaFixtures.streamFrames().flatMap(Self.mutations(of:))
        inputs += Self.hostile()
        #expect(inputs.count > 20_000)
        var statuses: Set<PluginStatus> = []
        for input in inputs {
            do {
                try harness.receive(frame: String(decoding: input, as: UTF8.self))
            } catch let error as HarnessError {
                // Only a server error message turns into a status; nothing else may fail the call.
                #expect(error.message.hasPrefix("alpaca stream error"), "\(error)")
                statuses.insert(error.status)
            }
        }
        #expect(statuses.isSubset(of: [.retry, .fatal]))
        for event in harness.host.emitted {
            #expect([MarketEvent.Kind.trade, .quote, .bar].contains(event.kind))
            #expect(event.symbol != .none)
        }
        #expect(harness.host.violations.isEmpty)

        // Reported once for the whole burst (the clock stood still), with the counts kept for the next report.
        let reports = harness.host.events(ofType: "stream_malformed")
        #expect(reports.count == 1)
        #expect(reports.first?.level == .warning)
        harness.host.advance(by: .seconds(61))
        try harness.receive(frame: "[{")
        let next = try #require(harness.host.events(ofType: "stream_malformed").last)
        #expect(harness.host.events(ofType: "stream_malformed").count == 2)
        guard case .int(let malformed) = next.fields["malformed_frames"] else {
            Issue.record("no malformed_frames count")
            return
        }
        #expect(malformed > 1_000)
        #expect(next.fields["sample"] == .string("[{"))

        // The stream still reads a good frame exactly.
        harness.host.clearCaptured()
        try harness.receive(frame: AlpacaFixtures.text("stream/trades.json"))
        #expect(harness.host.emitted.map(\.price) == [126.55, Fixed("126.5625")!])
        #expect(harness.host.emitted.map { harness.host.name(of: $0.symbol) } == ["AAPL", "AAPL"])
    }

    @Test func aBadMessageDoesNotCostTheGoodOnesAroundIt() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        let frame =
            #"[{"T":"t","S":"AAPL","p":1,"s":1,"t":"2021-01-01T00:00:00Z"},"#
            + #"{"T":"t","S":"AAPL","p":"oops","s":1,"t":"2021-01-01T00:00:00Z"},"#
            + #"{"T":"q","S":"","bp":1,"ap":2,"t":"2021-01-01T00:00:00Z"},"#
            + #"{"T":"b","S":"AAPL","o":1,"h":2,"l":0.5,"c":1.5,"t":"not a time"},"#
            + #"42,"#
            + #"{"T":"t","S":"AAPL","p":2,"s":1,"t":"2021-01-01T00:00:01Z"}]"#
        try harness.receive(frame: frame)
        #expect(harness.host.emitted.map(\.price) == [1, 2])
        let report = try #require(harness.host.events(ofType: "stream_malformed").first)
        #expect(report.fields["incomplete_messages"] == .int(3))
        #expect(report.fields["skipped_elements"] == .int(1))
        #expect(report.fields["malformed_frames"] == .int(0))
    }

    @Test func aFrameCutShortKeepsTheMessagesBeforeTheCut() throws {
        let harness = try AlpacaStreamHandshakeTests.subscribed()
        let full = try AlpacaFixtures.text("stream/trades.json")
        let cut = String(full.prefix(full.count - 20))
        try harness.receive(frame: cut)
        #expect(harness.host.emitted.map(\.price) == [126.55])
        #expect(harness.host.events(ofType: "stream_malformed").first?.fields["malformed_frames"] == .int(1))
    }
}
