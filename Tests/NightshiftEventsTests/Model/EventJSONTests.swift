import Testing
@testable import NightshiftEvents

@Suite struct EventJSONTests {
    @Test func aRecordRoundTripsThroughItsJSONLine() throws {
        let event = EventFactory().make(
            "trade_executed", at: 42, level: .notice, source: "paper-broker", instance: "paper",
            message: "filled \"AAPL\"\nline two\t\u{1B}[31m ünïcødé 🚀 \\ /",
            fields: ["qty": 10, "price": 187.25, "whole": 3.0, "ok": true, "note": nil, "sym": "AAPL",
                     "tiny": 1e-7, "big": .int(Int64.max), "neg": .int(Int64.min)]
        )
        let line = event.jsonLine
        #expect(!line.contains("\n"))
        let decoded = try #require(EventRecord(jsonLine: line))
        #expect(decoded == event)
        #expect(decoded.fields.keys == ["qty", "price", "whole", "ok", "note", "sym", "tiny", "big", "neg"])
        #expect(decoded.fields["whole"] == .double(3.0))
    }

    @Test func nonFiniteDoublesBecomeStrings() {
        #expect(JSONText.value(.double(.nan)) == "\"NaN\"")
        #expect(JSONText.value(.double(-.infinity)) == "\"-Infinity\"")
    }

    @Test func parserReadsEscapesAndSurrogatePairs() throws {
        let value = try #require(JSONValue.parse(#"{"a":"\u00e9\ud83d\ude80\n","b":[1,2.5,true,null]}"#))
        #expect(value["a"]?.string == "é🚀\n")
        #expect(value["b"] == .array([.int(1), .double(2.5), .bool(true), .null]))
    }

    @Test(arguments: ["", "{", "{\"a\":}", "[1,]", "\"unterminated", "{\"a\":1} trailing", "tru", "\"\\ud83d\""])
    func parserRejectsMalformedJSON(text: String) {
        #expect(JSONValue.parse(text) == nil)
    }

    @Test func fieldsKeepOrderAndReplaceInPlace() {
        var fields: EventFields = ["b": 1, "a": 2]
        fields["c"] = 3
        fields["b"] = "x"
        fields["a"] = nil
        #expect(fields.keys == ["b", "c"])
        #expect(fields["b"] == "x")
        #expect(fields.merging(["c": 9, "d": 4]).keys == ["b", "c", "d"])
        #expect(EventFields(["z": 1, "a": 2] as [String: FieldValue]).keys == ["a", "z"])
    }
}
