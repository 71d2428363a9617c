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
        #expect(FieldValue.double(.nan).jsonText == "\"NaN\"")
        #expect(FieldValue.double(-.infinity).jsonText == "\"-Infinity\"")
        #expect(FieldValue.double(.infinity).jsonText == "\"Infinity\"")
    }

    @Test func doublesKeepTheirKindAndIntegersStayIntegers() {
        #expect(FieldValue.double(3).jsonText == "3.0")
        #expect(FieldValue.double(1e-7).jsonText == "1e-07")
        #expect(FieldValue.int(3).jsonText == "3")
        #expect(
            EventFields(jsonText: #"{"a":3.0,"b":3,"c":1e2}"#) == ["a": .double(3), "b": .int(3), "c": .double(100)])
    }

    @Test func fieldsReadBackOnlyFromAJSONObject() {
        #expect(EventFields(jsonText: "[1]") == nil)
        #expect(EventFields(jsonText: "{\"a\":") == nil)
        #expect(EventFields(jsonText: #"{"n":[1,2.5]}"#) == ["n": "[1,2.5]"])
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
