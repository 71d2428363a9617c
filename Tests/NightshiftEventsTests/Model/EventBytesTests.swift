import Testing
@testable import NightshiftEvents

/// The byte encoders on the write paths produce exactly the text of the string encoders they replace.
@Suite struct EventBytesTests {
    static let awkwardTexts = [
        "", "plain", "quote \" and backslash \\", "new\nline\ttab\rreturn", "bell \u{07} del \u{7F} nul \0 end",
        "\u{08}\u{0C}\u{1F}", "line\u{2028}para\u{2029}", "\u{E2}\u{80}\u{A7} is not a separator", "ünïcødé 🚀",
        "trailing E2 \u{2022}", "€",
    ]

    @Test(arguments: awkwardTexts)
    func fieldsJSONBytesMatchTheJSONText(text: String) {
        let fields: EventFields = [
            text: .string(text), "n": .int(-42), "min": .int(.min), "max": .int(.max), "zero": 0, "d": 0.1,
            "whole": 2.0, "big": 1e300, "tiny": .double(-.leastNonzeroMagnitude), "nan": .double(.nan), "inf": .double(.infinity),
            "ninf": .double(-.infinity), "t": true, "f": false, "z": nil,
        ]
        var bytes: [UInt8] = []
        JSONBytes.appendObject(fields, to: &bytes)
        #expect(bytes == Array(fields.jsonText.utf8))
        // Non-finite doubles are written as strings by design; everything else reads back as it was.
        let finite = EventFields(fields.filter { !["nan", "inf", "ninf"].contains($0.key) }.map { ($0.key, $0.value) })
        var finiteBytes: [UInt8] = []
        JSONBytes.appendObject(finite, to: &finiteBytes)
        #expect(EventFields(jsonText: String(decoding: finiteBytes, as: UTF8.self)) == finite)
    }

    @Test(arguments: awkwardTexts)
    func replacingNULMatchesTheReplacedText(text: String) {
        let fields: EventFields = ["k\0": .string(text)]
        var bytes: [UInt8] = []
        JSONBytes.appendObject(fields, to: &bytes, replacingNUL: true)
        let replaced: EventFields = [EventSQL.replacingNUL("k\0"): .string(EventSQL.replacingNUL(text))]
        #expect(bytes == Array(replaced.jsonText.utf8))
        #expect(!bytes.contains(0))
    }

    @Test(arguments: awkwardTexts)
    func theJSONLineReadsBackAsTheSameEvent(text: String) {
        let event = EventFactory().make(text, at: 17, source: text, message: text, fields: [text: .string(text)])
        #expect(EventRecord(jsonLine: event.jsonLine) == event)
    }

    @Test(arguments: [
        Int64(0), 1, -1, 1_714_521_600_123_456, 4_102_444_799_999_999, 253_402_300_799_999_999, 253_402_300_800_000_000,
        -62_135_596_800_000_000, -62_135_596_800_000_001, -1_000_000_000_000_000,
    ])
    func timestampBytesMatchTheText(micros: Int64) {
        var iso: [UInt8] = []
        EventTime.appendISO8601(micros, to: &iso)
        #expect(String(decoding: iso, as: UTF8.self) == EventTime.iso8601(micros))
        var postgres: [UInt8] = []
        EventTime.appendPostgresText(micros, to: &postgres)
        #expect(String(decoding: postgres, as: UTF8.self) == EventTime.postgresText(micros))
    }

    @Test func integersAreWrittenInDecimal() {
        for number in [Int64.min, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_234_567_890, .max] {
            var bytes: [UInt8] = []
            JSONBytes.appendInteger(number, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(number))
        }
    }
}
