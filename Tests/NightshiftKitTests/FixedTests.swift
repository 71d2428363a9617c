import Foundation
import NightshiftKit
import Testing

@Suite struct FixedTests {
    @Test func parsesAndPrintsExactDecimals() {
        #expect(Fixed("1.5")?.raw == 150_000_000)
        #expect(Fixed("-0.00000001")?.raw == -1)
        #expect(Fixed("+42")?.raw == 4_200_000_000)
        #expect(Fixed(".25")?.raw == 25_000_000)
        #expect(Fixed("1.000000005")?.raw == 100_000_001)  // rounds half away from zero at the 8th digit
        #expect(Fixed("1.000000004")?.raw == 100_000_000)
        #expect(Fixed("1.2.3") == nil)
        #expect(Fixed("1e3") == nil)
        #expect(Fixed("") == nil)
        #expect(Fixed("-") == nil)
        #expect(Fixed("99999999999999") == nil)  // overflows Int64 after scaling
        #expect(Fixed(raw: 150_000_000).description == "1.5")
        #expect(Fixed(raw: -1).description == "-0.00000001")
        #expect(Fixed(100).description == "100")
        #expect(Fixed(raw: 123_456_789).description == "1.23456789")
    }

    @Test func convertsDoubles() {
        #expect(Fixed(100.1).raw == 10_010_000_000)
        #expect(Fixed(0.1 + 0.2).description == "0.3")
        #expect(Fixed(-2.5).doubleValue == -2.5)
        #expect(Fixed(raw: 1).doubleValue == 1e-8)
    }

    @Test func multipliesAndDividesAtFullWidthWithRounding() {
        let big: Fixed = 100_000
        #expect((big * big).description == "10000000000")  // the raw product overflows 64 bits
        #expect((Fixed(1) / Fixed(3)).description == "0.33333333")
        #expect((Fixed(2) / Fixed(3)).description == "0.66666667")
        #expect((Fixed(-2) / Fixed(3)).description == "-0.66666667")
        #expect((Fixed(raw: 5) * Fixed(0.5)).raw == 3)  // 2.5 raw units round away from zero
        #expect((Fixed(raw: -5) * Fixed(0.5)).raw == -3)
        #expect((Fixed(10) / 4).description == "2.5")
        #expect((Fixed(raw: -3) / 2).raw == -2)
        #expect(Fixed(3) * 2 == Fixed(6))
        #expect(Fixed(1.5) + 2.25 - 0.75 == Fixed(3))
        #expect(-Fixed(1) < .zero)
        #expect(Fixed(-4).magnitude == Fixed(4))
    }

    @Test func decodesNumbersAndStrings() throws {
        struct Box: Codable { var price: Fixed }
        let fromNumber = try JSONDecoder().decode(Box.self, from: Data(#"{"price": 100.1}"#.utf8))
        let fromString = try JSONDecoder().decode(Box.self, from: Data(#"{"price": "0.00000003"}"#.utf8))
        #expect(fromNumber.price == Fixed("100.1"))
        #expect(fromString.price.raw == 3)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"price": "abc"}"#.utf8)) }
        let encoded = try JSONEncoder().encode(Box(price: 2.5))
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"price":2.5}"#)
    }
}

@Suite struct TimestampTests {
    @Test func printsISO8601WithNanoseconds() {
        #expect(Timestamp(nanosecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000000000Z")
        #expect(
            Timestamp(nanosecondsSinceEpoch: 1_735_787_045_000_000_006).description
                == "2025-01-02T03:04:05.000000006Z")
        #expect(Timestamp(nanosecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp(secondsSinceEpoch: 951_782_400).description == "2000-02-29T00:00:00.000000000Z")
    }

    @Test func convertsDatesAndDurations() {
        let start = Timestamp(secondsSinceEpoch: 1_700_000_000)
        #expect(Timestamp(start.date) == start)
        #expect((start + .milliseconds(1500)).nanosecondsSinceEpoch == 1_700_000_001_500_000_000)
        #expect((start + .seconds(90)) - start == .seconds(90))
        #expect(start - .nanoseconds(1) < start)
    }
}
