import Testing
import NightshiftJSON

/// Lookups, scalar text, equality across integer and double, and rendering.
@Suite struct JSONValueTests {
    let document: JSONValue = .object([
        ("name", .string("quotes")),
        ("limits", .object([("max", .integer(5)), ("ratio", .number(0.25))])),
        ("symbols", .array([.string("AAPL"), .string("MSFT")])),
        ("on", .bool(true)),
        ("none", .null),
    ])

    @Test func membersAndDottedPaths() {
        #expect(document["name"] == .string("quotes"))
        #expect(document["missing"] == nil && JSONValue.array([]).self["name"] == nil)
        #expect(document.value(at: "") == document)
        #expect(document.value(at: "limits.max") == .integer(5))
        #expect(document.value(at: "symbols.1") == .string("MSFT"))
        #expect(document.value(at: "symbols.2") == nil && document.value(at: "symbols.x") == nil)
        #expect(document.value(at: "name.0") == nil && document.value(at: "limits..max") == nil)
    }

    @Test func scalarTextAndTypeNames() {
        #expect(document.value(at: "symbols.0")?.scalarText == "AAPL")
        #expect(document["on"]?.scalarText == "true" && document.value(at: "limits.max")?.scalarText == "5")
        #expect(document["none"]?.scalarText == nil && document["limits"]?.scalarText == nil)
        #expect(document["symbols"]?.scalarText == nil)
        let names = [JSONValue.null, .bool(false), .integer(1), .number(1.5), .string(""), .array([]), .object([])]
            .map(\.typeName)
        #expect(names == ["null", "boolean", "integer", "number", "string", "array", "object"])
        #expect(document["name"]?.stringValue == "quotes" && document["on"]?.stringValue == nil)
        #expect(document.value(at: "limits.ratio")?.integerValue == nil)
    }

    @Test func anIntegerEqualsTheDoubleWithItsValueAndHashesAlike() {
        #expect(JSONValue.integer(3) == .number(3.0) && JSONValue.number(3.0) == .integer(3))
        #expect(JSONValue.integer(3) != .number(3.5) && JSONValue.integer(0) == .number(-0.0))
        #expect(Set([JSONValue.integer(3), .number(3.0), .number(-0.0), .integer(0)]).count == 2)
        #expect(JSONValue.string("3") != .integer(3) && JSONValue.null != .bool(false))
        #expect(JSONValue.object([("a", .null), ("b", .null)]) != .object([("b", .null), ("a", .null)]))
        #expect(JSONValue.object([("a", .integer(1))]) == .object([("a", .number(1))]))
        #expect(JSONValue.array([.integer(1)]) != .array([.integer(1), .integer(1)]))
    }

    @Test func rendersCompactTextInMemberOrder() {
        let expected =
            #"{"name":"quotes","limits":{"max":5,"ratio":0.25},"symbols":["AAPL","MSFT"],"on":true,"none":null}"#
        #expect(document.jsonText == expected)
        #expect(JSONValue.object([("k\"\n", .array([.array([]), .object([])]))]).jsonText == #"{"k\"\n":[[],{}]}"#)
        var output = "x="
        JSONValue.bool(false).write(to: &output)
        #expect(output == "x=false")
    }
}
