import Testing
import NightshiftJSON

/// Integers against doubles, negative zero, exponents, overflow, and how numbers are written back.
@Suite struct JSONNumberTests {
    @Test func integersStayIntegersAndEverythingElseIsADouble() throws {
        #expect(try JSONParser.parse("0").integerValue == 0)
        #expect(try JSONParser.parse("-17").integerValue == -17)
        #expect(try JSONParser.parse("9223372036854775807").integerValue == .max)
        #expect(try JSONParser.parse("-9223372036854775808").integerValue == .min)
        for text in ["3.0", "1e2", "1E2", "1e+2", "100e0", "0.5", "-2.5e-3"] {
            let value = try JSONParser.parse(text)
            guard case .number = value else {
                Issue.record("\(text) read as \(value), not a number")
                continue
            }
            #expect(value.integerValue == nil)
        }
        #expect(try JSONParser.parse("1.5e3") == .number(1500))
        #expect(try JSONParser.parse("-2.5e-3") == .number(-0.0025))
    }

    @Test func negativeZeroKeepsItsSignOnlyAsADouble() throws {
        #expect(try JSONParser.parse("-0") == .integer(0))
        #expect(try JSONParser.parse("-0").integerValue == 0)
        guard case .number(let zero) = try JSONParser.parse("-0.0") else {
            Issue.record("-0.0 is not read as a double")
            return
        }
        #expect(zero == 0 && zero.sign == .minus)
        #expect(try JSONParser.parse("-0e0") == .number(0))
    }

    @Test func integersBeyondInt64BecomeDoublesAndInfinityIsRejected() throws {
        #expect(try JSONParser.parse("9223372036854775808") == .number(0x1p63))
        #expect(try JSONParser.parse("-9223372036854775809") == .number(-0x1p63))
        #expect(try JSONParser.parse("1" + String(repeating: "0", count: 300)) == .number(1e300))
        #expect(try JSONParser.parse("1e-400") == .number(0))
        for text in ["1e400", "-1e400", "1" + String(repeating: "0", count: 400)] {
            let error = parseError(text)
            #expect(error?.code == .number && error?.message == "number out of range")
        }
    }

    @Test(arguments: [
        ("01", "leading zeros are not allowed"), ("-01", "leading zeros are not allowed"),
        ("1.", "expected a digit after '.'"), ("1.e5", "expected a digit after '.'"),
        ("1e", "expected a digit in the exponent"), ("1e+", "expected a digit in the exponent"),
        ("-", "expected a digit"), ("--1", "expected a digit"), ("-a", "expected a digit"),
        (".5", "unexpected character '.'"), ("+1", "unexpected character '+'"),
        ("0x10", "unexpected text after the JSON value"),
    ])
    func malformedNumbersAreRejected(text: String, message: String) {
        #expect(parseError(text)?.message == message)
    }

    @Test func numbersAreWrittenInTheirShortestForm() {
        #expect(JSONValue.integer(.min).jsonText == "-9223372036854775808")
        #expect(JSONValue.number(3.0).jsonText == "3")
        #expect(JSONValue.number(-0.0).jsonText == "0")
        #expect(JSONValue.number(0.1).jsonText == "0.1")
        #expect(JSONValue.number(-2.5e-3).jsonText == "-0.0025")
        #expect(JSONValue.number(999_999_999_999_999).jsonText == "999999999999999")
        #expect(JSONValue.number(1e15).jsonText == "1000000000000000.0")
        #expect(JSONValue.number(1e16).jsonText == "1e+16")
        #expect(JSONValue.number(.leastNonzeroMagnitude).jsonText == "5e-324")
        #expect(JSONValue.number(.nan).jsonText == "null")
        #expect(JSONValue.number(-.infinity).jsonText == "null")
        #expect(JSONValue.number(2.5).scalarText == "2.5" && JSONValue.number(2).scalarText == "2")
    }

    @Test func everyFiniteDoubleReadsBackExactly() throws {
        var rng = SplitMix(state: 0xD0_0B1E)
        for _ in 0..<2_000 {
            let number = Random.double(using: &rng)
            let text = JSONValue.number(number).jsonText
            switch try JSONParser.parse(text) {
            case .number(let back): #expect(back == number, "\(number) written as \(text)")
            case .integer(let back):
                #expect(Double(back) == number && abs(number) < 1e15, "\(number) written as \(text)")
            case let other: Issue.record("\(number) written as \(text) read back as \(other)")
            }
        }
    }
}
