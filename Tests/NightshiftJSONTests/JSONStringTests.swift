import Testing
import NightshiftJSON

/// Escaping on the way out, and UTF-8 on the way in.
@Suite struct JSONStringTests {
    @Test func escapesQuotesBackslashesAndEveryControlCharacter() throws {
        #expect(JSONString.quoted("") == "\"\"")
        #expect(JSONString.quoted("plain text / ünïcødé 🚀") == "\"plain text / ünïcødé 🚀\"")
        #expect(JSONString.quoted("say \"hi\" \\ bye") == #""say \"hi\" \\ bye""#)
        #expect(JSONString.quoted("\n\r\t\u{08}\u{0C}") == #""\n\r\t\b\f""#)
        #expect(JSONString.quoted("\u{00}\u{01}\u{1B}[31m\u{1F}\u{7F}") == #""\u0000\u0001\u001b[31m\u001f\u007f""#)
        #expect(JSONString.quoted("a\u{2028}b\u{2029}c\u{2027}") == "\"a\\u2028b\\u2029c\u{2027}\"")
        for value in UInt32(0)..<0x20 {
            let quoted = JSONString.quoted(String(Unicode.Scalar(value)!))
            #expect(quoted.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "U+\(value) written raw")
            #expect(try JSONParser.parse(quoted) == .string(String(Unicode.Scalar(value)!)))
        }
    }

    @Test func appendingQuotesOntoExistingText() {
        var output = "{\"k\":"
        JSONString.appendQuoted("v\n", to: &output)
        JSONString.appendQuoted("", to: &output)
        #expect(output == #"{"k":"v\n""""#)
    }

    @Test func matchesTheScalarByScalarRulesOnRandomText() {
        var rng = SplitMix(state: 0xE5C_A9E)
        for _ in 0..<3_000 {
            let text = Random.string(using: &rng, maxLength: 40)
            #expect(JSONString.quoted(text) == referenceQuoted(text), "\(text.unicodeScalars.map(\.value))")
        }
        // Long clean and long dirty strings, past any small-string storage.
        let long = String(repeating: "abcdé🚀", count: 500)
        #expect(JSONString.quoted(long) == "\"" + long + "\"")
        let dirty = String(repeating: "a\"\u{1}\u{2028}é", count: 500)
        #expect(JSONString.quoted(dirty) == referenceQuoted(dirty))
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude80""#) == .string("🚀"))
        #expect(try JSONParser.parse(#""\uD83D\uDE80x""#) == .string("🚀x"))
        // A scalar outside the BMP is written raw, and reads back the same as its escaped pair.
        #expect(JSONString.quoted("🚀") == "\"🚀\"")
        let unpaired = [
            #""\ud83d""#, #""\ud83dx""#, #""\ud83d\n""#, #""\ud83d\ud83d""#, #""\ude80\ud83d""#, #""\ud83d\u""#,
        ]
        for text in unpaired {
            #expect(parseError(text)?.code == .string, "\(text)")
        }
    }

    @Test func invalidUTF8InBytesIsAnEncodingErrorAtTheString() throws {
        let invalid: [[UInt8]] = [
            [0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80],
            [0xC3, 0x5C, 0x6E],  // a truncated sequence before an escape
            [0x5C, 0x6E, 0xA9],  // a stray continuation byte after an escape
        ]
        for bytes in invalid {
            let error = parseError(utf8: [0x5B, 0x22] + bytes + [0x22, 0x5D])
            #expect(error?.code == .encoding && error?.offset == 1, "\(bytes)")
            #expect(error?.message == "invalid UTF-8 in a string")
        }
        #expect(parseError(utf8: [0xFF])?.code == .syntax)
        let valid: [UInt8] = [0x22, 0xC3, 0xA9, 0x5C, 0x6E, 0xF0, 0x9F, 0x9A, 0x80, 0x22]
        #expect(try JSONParser.parse(utf8: valid) == .string("é\n🚀"))
    }

    @Test func invalidUTF8DecodedAsTextReadsAsReplacementCharacters() throws {
        let text = String(decoding: [0x22, 0x61, 0xFF, 0x62, 0x22] as [UInt8], as: UTF8.self)
        #expect(try JSONParser.parse(text) == .string("a\u{FFFD}b"))
    }
}
