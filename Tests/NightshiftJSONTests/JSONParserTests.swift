import Testing
import NightshiftJSON

/// The grammar, the error messages and their places, duplicate members and the depth cap.
@Suite struct JSONParserTests {
    @Test func readsEveryKindKeepingMemberOrder() throws {
        let value = try JSONParser.parse(" {\"z\": [1, 2.5, true, false, null], \"a\": {\"\": \"x\"}}\r\n\t")
        guard case .object(let members) = value else {
            Issue.record("expected an object, got \(value)")
            return
        }
        #expect(members.map(\.key) == ["z", "a"])
        #expect(value["z"] == .array([.integer(1), .number(2.5), .bool(true), .bool(false), .null]))
        #expect(value.value(at: "a.") == .string("x"))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object([]))
        #expect(try JSONParser.parse("\"\"") == .string(""))
    }

    @Test func readsEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"{"a":"\u00e9\ud83d\ude80\n","b":"\"\\\/\b\f\r\t","c":"\u0000\u001F\u00C9"}"#)
        #expect(value["a"]?.stringValue == "é🚀\n")
        #expect(value["b"]?.stringValue == "\"\\/\u{08}\u{0C}\r\t")
        #expect(value["c"]?.stringValue == "\u{00}\u{1F}É")
        #expect(try JSONParser.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test(arguments: [
        "", "   ", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "\"unterminated", "{\"a\":1} trailing", "tru", "nul", "[1 2]",
        "{\"a\" 1}", "{a:1}", "'a'", "\"\\ud83d\"", "\"\\ude80\"", "\"\\ud83d\\u0041\"", "\"\\x\"", "\"\\u12\"",
        "\"\\u+123\"", "\"\\u-123\"", "\"tab\there\"", "[1]]", "NaN", "Infinity", "-Infinity",
    ])
    func rejectsMalformedJSON(text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func messagesNameTheDefectAtItsLineAndColumn() {
        func failure(_ text: String) -> String? { parseError(text).map(\.description) }
        #expect(
            failure("{\n  \"type\": \"object\",\n  \"properties\": {,}\n}")
                == "line 3, column 18: expected a member name in quotes")
        #expect(failure("") == "line 1, column 1: unexpected end of input")
        #expect(failure("[1,\n x]") == "line 2, column 2: unexpected character 'x'")
        #expect(failure("{\"a\" 1}") == "line 1, column 6: expected ':' after a member name")
        #expect(failure("{\"a\":1 \"b\"}") == "line 1, column 8: expected ',' or '}' in an object")
        #expect(failure("[1 2]") == "line 1, column 4: expected ',' or ']' in an array")
        #expect(failure("[tru]") == "line 1, column 2: unexpected text (expected 'true')")
        #expect(failure("{} {}") == "line 1, column 4: unexpected text after the JSON value")
        #expect(failure("\"é\u{1}\"") == "line 1, column 4: control character in a string")
        #expect(failure("\"abc") == "line 1, column 5: unterminated string")
        #expect(failure("\"\\") == "line 1, column 3: unterminated escape")
        #expect(failure("\"\\q\"") == "line 1, column 4: invalid escape '\\q'")
        #expect(failure("\"\\u12x4\"") == "line 1, column 4: expected four hexadecimal digits after \\u")
        #expect(failure("\"\\ud83d\"") == "line 1, column 8: unpaired surrogate in \\u escape")
        #expect(failure("\"\\ude80\"") == "line 1, column 8: unpaired surrogate in \\u escape")
        #expect(failure("\"\\ud83d\\u0041\"") == "line 1, column 14: unpaired surrogate in \\u escape")
    }

    @Test func errorsCarryACodeAndAByteOffset() {
        #expect(parseError("[1,]")?.code == .syntax)
        #expect(parseError("01")?.code == .number)
        #expect(parseError("\"\\x\"")?.code == .string)
        let error = parseError("{\"é\":1,\n\"é\":2}")
        #expect(error?.code == .duplicateMember && error?.message == "duplicate member 'é'")
        #expect(error?.line == 2 && error?.column == 1 && error?.offset == 9)
    }

    @Test func duplicateMembersAreRejectedInSmallAndLargeObjects() throws {
        #expect(parseError(#"{"a":1,"b":2,"a":3}"#)?.code == .duplicateMember)
        let names = (0..<500).map { "\"k\($0)\":\($0)" }
        let unique = "{" + names.joined(separator: ",") + "}"
        #expect(try JSONParser.parse(unique)["k499"] == .integer(499))
        let repeated = "{" + (names + ["\"k250\":0"]).joined(separator: ",") + "}"
        #expect(parseError(repeated)?.message == "duplicate member 'k250'")
        // A name is compared as decoded text, so an escaped spelling of a seen name is the same name.
        #expect(parseError(#"{"é":1,"\u00e9":2}"#)?.code == .duplicateMember)
    }

    @Test func nestingIsCappedAtTheMaximumDepth() throws {
        let depth = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        #expect(try JSONParser.parse(deepest).value(at: String(repeating: "0.", count: depth - 1) + "0") == .integer(1))
        let objects = String(repeating: "{\"a\":", count: depth) + "{}" + String(repeating: "}", count: depth)
        let error = parseError(objects)
        #expect(error?.code == .depth && error?.message == "nesting deeper than 64 levels")
        #expect(error?.offset == depth * 5)
        for opener in ["[", "{\"a\":", "[{\"a\":"] {
            #expect(parseError(String(repeating: opener, count: 100_000))?.code == .depth)
        }
    }
}
