import Foundation
import Testing
@testable import NightshiftResilience

@Suite struct ScheduleTests {
    /// Model runs at 00/06/12/18 UTC, data published 4 h 30 min later.
    let modelRuns = Schedule.aligned(hoursUTC: [0, 6, 12, 18], lag: .seconds(4 * 3_600 + 30 * 60))
    let anchor = utc(2024, 1, 1)

    @Test(arguments: [
        // (now, expected next fire)
        (utc(2024, 3, 10, 0, 0, 0), utc(2024, 3, 10, 4, 30, 0)),
        (utc(2024, 3, 10, 4, 29, 59), utc(2024, 3, 10, 4, 30, 0)),
        (utc(2024, 3, 10, 4, 30, 0), utc(2024, 3, 10, 10, 30, 0)),
        (utc(2024, 3, 10, 10, 30, 1), utc(2024, 3, 10, 16, 30, 0)),
        (utc(2024, 3, 10, 17, 0, 0), utc(2024, 3, 10, 22, 30, 0)),
        (utc(2024, 3, 10, 22, 30, 0), utc(2024, 3, 11, 4, 30, 0)),
        (utc(2024, 3, 10, 23, 59, 59), utc(2024, 3, 11, 4, 30, 0)),
        (utc(2023, 12, 31, 23, 0, 0), utc(2024, 1, 1, 4, 30, 0)),
        (utc(2024, 2, 28, 22, 45, 0), utc(2024, 2, 29, 4, 30, 0)),
        (utc(2024, 2, 29, 22, 45, 0), utc(2024, 3, 1, 4, 30, 0)),
    ])
    func alignedFiresAtTheNextRunHourPlusLag(now: Date, expected: Date) {
        #expect(modelRuns.nextFire(after: now, anchor: anchor) == expected)
    }

    @Test func aLagPastTheNextRunHourCrossesMidnight() {
        // 18:00 + 7 h fires at 01:00 the next day.
        let late = Schedule.aligned(hoursUTC: [0, 6, 12, 18], lag: .seconds(7 * 3_600))
        #expect(late.nextFire(after: utc(2024, 3, 10, 0, 30), anchor: anchor) == utc(2024, 3, 10, 1, 0))
        #expect(late.nextFire(after: utc(2024, 3, 10, 1, 0), anchor: anchor) == utc(2024, 3, 10, 7, 0))
        #expect(late.nextFire(after: utc(2024, 3, 10, 19, 0), anchor: anchor) == utc(2024, 3, 11, 1, 0))
    }

    @Test func hourOrderAndDuplicatesDoNotMatter() {
        let messy = Schedule.aligned(hoursUTC: [18, 0, 6, 6, 12], lag: .seconds(4 * 3_600 + 30 * 60))
        for hour in 0..<24 {
            let now = utc(2024, 5, 5, hour, 15)
            #expect(messy.nextFire(after: now, anchor: anchor) == modelRuns.nextFire(after: now, anchor: anchor))
        }
    }

    @Test func aSingleDailyHour() {
        let noon = Schedule.aligned(hoursUTC: [12])
        #expect(noon.nextFire(after: utc(2024, 5, 5, 11, 59), anchor: anchor) == utc(2024, 5, 5, 12, 0))
        #expect(noon.nextFire(after: utc(2024, 5, 5, 12, 0), anchor: anchor) == utc(2024, 5, 6, 12, 0))
    }

    @Test func everyFiresOnAGridFromItsAnchor() {
        let minutely = Schedule.every(.seconds(60))
        let start = utc(2024, 5, 5, 10, 0, 0)
        #expect(minutely.nextFire(after: start, anchor: start) == start + 60)
        #expect(minutely.nextFire(after: start + 59, anchor: start) == start + 60)
        #expect(minutely.nextFire(after: start + 60, anchor: start) == start + 120)
        #expect(minutely.nextFire(after: start + 3_601.5, anchor: start) == start + 3_660)
        #expect(minutely.nextFire(after: start - 90, anchor: start) == start - 60)
    }

    @Test func firesAreCountedOverLongSpans() {
        let start = utc(2024, 5, 5, 0, 0, 0)
        #expect(modelRuns.fires(after: start, through: start + 3 * 86_400, anchor: anchor) == 12)
        #expect(modelRuns.fires(after: utc(2024, 5, 5, 4, 30), through: utc(2024, 5, 5, 10, 30), anchor: anchor) == 1)
        #expect(modelRuns.fires(after: start, through: start, anchor: anchor) == 0)
        #expect(modelRuns.fires(after: start + 10, through: start, anchor: anchor) == 0)
        let minutely = Schedule.every(.seconds(60))
        #expect(minutely.fires(after: start, through: start + 365 * 86_400, anchor: start) == 525_600)
    }

    @Test func longestGap() {
        #expect(modelRuns.longestGap == .seconds(6 * 3_600))
        #expect(Schedule.aligned(hoursUTC: [0, 18]).longestGap == .seconds(18 * 3_600))
        #expect(Schedule.aligned(hoursUTC: [12]).longestGap == .seconds(24 * 3_600))
        #expect(Schedule.every(.seconds(90)).longestGap == .seconds(90))
    }

    @Test(arguments: [
        (Schedule.every(.zero), ScheduleError.Code.nonPositivePeriod),
        (Schedule.every(.seconds(-5)), .nonPositivePeriod),
        (Schedule.aligned(hoursUTC: []), .noHours),
        (Schedule.aligned(hoursUTC: [0, 24]), .hourOutOfRange),
        (Schedule.aligned(hoursUTC: [-1]), .hourOutOfRange),
        (Schedule.aligned(hoursUTC: [6], lag: .seconds(-1)), .negativeLag),
    ])
    func invalidSchedulesAreRefused(schedule: Schedule, code: ScheduleError.Code) {
        #expect(throws: ScheduleError.self) { try schedule.validate() }
        do {
            _ = try CycleScheduler(schedule: schedule, now: anchor)
            Issue.record("\(schedule) was accepted")
        } catch {
            #expect(error.code == code)
        }
    }
}
