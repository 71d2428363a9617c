import Testing
import NightshiftJSON

/// Round trips of random values, and mutated or random input that must never crash the parser.
@Suite struct JSONRobustnessTests {
    @Test func randomValuesRoundTripThroughText() throws {
        var rng = SplitMix(state: 0x0123_4567)
        for _ in 0..<1_500 {
            let value = Random.value(using: &rng)
            let text = value.jsonText
            let back = try JSONParser.parse(text)
            #expect(back == value, "\(text)")
            #expect(back.jsonText == text)
            #expect(try JSONParser.parse(utf8: Array(text.utf8)) == back)
        }
    }

    static let seeds: [String] = [
        #"{"type":"object","properties":{"symbols":{"type":"array","items":{"type":"string","pattern":"^[A-Z.]+$"}},"#
            + #""spread":{"type":"number","minimum":0,"default":0.01},"mode":{"enum":["random-walk","replay"]}},"#
            + #""required":["symbols"],"additionalProperties":false}"#,
        #"{"id":"0190f5e4-a1b2","time":"2024-05-01T06:07:08.123456Z","created_at":1714543628123456,"#
            + #""message":"filled \"AAPL\"\n\u001b[31m é 🚀 \\ \/","fields":{"qty":10,"price":187.25,"tiny":1e-07,"#
            + #""neg":-9223372036854775808,"ok":true,"note":null,"s":"\ud83d\ude80\u2028"}}"#,
        "[-0, 0.5e+3, 1E-2, [], {}, [[[\"\"]]], {\"\": {\"\": null}}]",
    ]

    static let tokens: [[UInt8]] =
        [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "\\ude80", "\\u00", "0", "-", ".", "e", "E+",
            "1e999", "true", "nul", " ", "\n", "\t", "\u{0}", "\u{1F}", "é", "🚀", "\u{2028}",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x80]]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: tokens.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &rng)))
            case 3: bytes = Array(bytes.prefix(position))
            default:
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &rng))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            }
        }
        return bytes
    }

    /// Parses `bytes` both as bytes and as decoded text: a value must round-trip, an error must have a sane place.
    static func check(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let attempts: [(length: Int, parse: () throws(JSONParseError) -> JSONValue)] = [
            (bytes.count, { () throws(JSONParseError) in try JSONParser.parse(utf8: bytes) }),
            (text.utf8.count, { () throws(JSONParseError) in try JSONParser.parse(text) }),
        ]
        for attempt in attempts {
            do {
                let value = try attempt.parse()
                #expect(try JSONParser.parse(value.jsonText) == value)
            } catch {
                #expect(error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
                #expect(error.offset >= 0 && error.offset <= attempt.length)
            }
        }
    }

    @Test func mutatedDocumentsNeverCrash() throws {
        var rng = SplitMix(state: 0x5EED)
        var parsed = 0
        for round in 0..<3_000 {
            let bytes = Self.mutate(Array(Self.seeds[round % Self.seeds.count].utf8), using: &rng)
            Self.check(bytes)
            if (try? JSONParser.parse(utf8: bytes)) != nil { parsed += 1 }
        }
        // Some mutations (whitespace, a duplicated array item) leave valid JSON; most do not.
        #expect(parsed > 0 && parsed < 3_000)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(state: 0xBAD_B17E5)
        let alphabet = Array("{}[],:\"\\u0123456789abcdefABCDEF-+.eE truefalsenull\n".utf8)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            Self.check(bytes)
        }
    }
}
