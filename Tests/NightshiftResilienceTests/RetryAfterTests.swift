import Foundation
import Testing
@testable import NightshiftResilience

@Suite struct RetryAfterTests {
    let now = utc(2015, 10, 21, 7, 27, 0)

    @Test(arguments: [("120", 120.0), ("0", 0), (" 7 ", 7), ("\t30", 30), ("+5", 5), ("-5", 0), ("-0", 0)])
    func deltaSeconds(value: String, seconds: Double) {
        #expect(RetryAfter.parse(value, now: now) == .seconds(seconds))
    }

    @Test func hugeDeltaSecondsSaturateInsteadOfFailing() throws {
        let delay = try #require(RetryAfter.parse("99999999999999999999999999", now: now))
        #expect(delay >= .seconds(Int64.max / 2))
    }

    @Test func imfFixdateIsRelativeToTheInjectedNow() {
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Thu, 22 Oct 2015 07:27:00 GMT", now: now) == .seconds(86_400))
        // A later `now` shortens the same header's delay.
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now + 45) == .seconds(15))
    }

    @Test func rfc850DateWithTwoDigitYear() {
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(60))
    }

    @Test func rfc850YearsMoreThanFiftyYearsAheadBelongToThePreviousCentury() throws {
        // From 2015, "70" is 1970 (2070 would be 55 years ahead): in the past, so zero.
        #expect(RetryAfter.parse("Thursday, 01-Jan-70 00:00:00 GMT", now: now) == .zero)
        // "65" is 2065, exactly 50 years ahead at most: still in the future.
        let delay = try #require(RetryAfter.parse("Thursday, 01-Jan-65 00:00:00 GMT", now: now))
        #expect(delay.seconds == utc(2065, 1, 1).timeIntervalSince(now))
    }

    @Test func asctimeDateWithSpacePaddedDay() {
        let november = utc(1994, 11, 6, 8, 49, 0)
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 1994", now: november) == .seconds(37))
        #expect(RetryAfter.parse("Wed Oct 21 07:28:00 2015", now: now) == .seconds(60))
    }

    @Test(arguments: [
        "Wed, 21 Oct 2015 07:26:59 GMT", "Tuesday, 20-Oct-15 07:28:00 GMT", "Sun Nov  6 08:49:37 1994",
        "Thu, 01 Jan 1970 00:00:00 GMT",
    ])
    func datesInThePastMeanNow(value: String) {
        #expect(RetryAfter.parse(value, now: now) == .zero)
    }

    @Test func leapDaysAndLeapSeconds() {
        let leapYear = utc(2016, 2, 28, 0, 0, 0)
        #expect(RetryAfter.parse("Mon, 29 Feb 2016 00:00:00 GMT", now: leapYear) == .seconds(86_400))
        #expect(RetryAfter.parse("Sun, 29 Feb 2015 00:00:00 GMT", now: now) == nil)
        // A leap second is accepted and read as :59.
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:60 GMT", now: now) == .seconds(59))
    }

    @Test(arguments: [
        "", "   ", "soon", "12.5", "1e3", "0x10", "5 seconds", "--5",
        "Wed, 21 Oct 2015 07:28:00 UTC", "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 24:00:00 GMT", "Wed, 21 Oct 2015 07:60:00 GMT", "Wed, 21 Oct 15 07:28:00 GMT",
        "Wed, +1 Oct 2015 07:28:00 GMT", "Xyz, 21 Oct 2015 07:28:00 GMT", "Wed 21 Oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 7:28:00 GMT", "Wednesday, 21-Oct-2015 07:28:00 GMT", "Wed, 21-Oct-15 07:28:00 GMT",
        "Sun Nov 6 08:49:37 94", "Sun Nov 06 08:49 1994",
    ])
    func garbageIsNil(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }

    @Test func civilDateConversionAgreesWithFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: -800_000, through: 800_000, by: 997) {
            let seconds = Int64(day) * 86_400 + 3_600
            let civil = CivilDate(secondsSinceEpoch: seconds)
            let parts = calendar.dateComponents(
                [.year, .month, .day], from: Date(timeIntervalSince1970: Double(seconds))
            )
            // Foundation's Gregorian calendar switches to Julian before 1582; compare only after that.
            if parts.year! > 1600 {
                let expected: [Int] = [parts.year!, parts.month!, parts.day!]
                #expect([civil.year, civil.month, civil.day] == expected)
            }
            #expect(civil.daysSinceEpoch == Int64(day))
        }
    }
}
