import Testing
@testable import NightshiftEvents

@Suite struct EventTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (1_714_543_628_123_456, "2024-05-01T06:07:08.123456Z"),
        (951_782_400_000_001, "2000-02-29T00:00:00.000001Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
    ])
    func iso8601PrintsUTCWithMicroseconds(micros: Int64, text: String) {
        #expect(EventTime.iso8601(micros) == text)
        #expect(EventTime.parseISO8601(text) == micros)
    }

    @Test func postgresTextIsExact() {
        #expect(EventTime.postgresText(1_714_543_628_000_042) == "2024-05-01 06:07:08.000042+00")
    }

    @Test func spansAreRelativeToNow() {
        let now: Int64 = 1_714_543_628_000_000
        #expect(EventTime.parse("8h", relativeTo: now) == now - 8 * 3_600 * 1_000_000)
        #expect(EventTime.parse("30m", relativeTo: now) == now - 1_800_000_000)
        #expect(EventTime.parse("2d", relativeTo: now) == now - 172_800_000_000)
        #expect(EventTime.parse("90s", relativeTo: now) == now - 90_000_000)
        #expect(EventTime.parse("1w", relativeTo: now) == now - 604_800_000_000)
    }

    @Test func datesAndOffsetsParse() {
        #expect(EventTime.parseISO8601("2024-05-01") == 1_714_521_600_000_000)
        #expect(EventTime.parseISO8601("2024-05-01 06:07") == 1_714_543_620_000_000)
        #expect(EventTime.parseISO8601("2024-05-01T08:07:08+02:00") == 1_714_543_628_000_000)
        #expect(EventTime.parseISO8601("2024-05-01T06:07:08.5Z") == 1_714_543_628_500_000)
    }

    @Test(arguments: ["", "8", "h", "8x", "-3h", "2024-13-01", "2024-05-01T25:00", "2024-05-01T06:07:08Zjunk"])
    func malformedTextIsRejected(text: String) {
        #expect(EventTime.parse(text, relativeTo: 0) == nil)
    }
}
