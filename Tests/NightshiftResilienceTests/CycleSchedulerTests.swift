import Foundation
import Testing
@testable import NightshiftResilience

@Suite struct CycleSchedulerTests {
    let start = utc(2024, 5, 5, 10, 0, 0)

    func minutely(runImmediately: Bool = false) throws -> CycleScheduler {
        try CycleScheduler(schedule: .every(.seconds(60)), now: start, runImmediately: runImmediately)
    }

    @Test func waitsThenRunsThenWaitsForTheNextFire() throws {
        var scheduler = try minutely()
        #expect(scheduler.poll(now: start) == .wait(.seconds(60)))
        #expect(scheduler.poll(now: start + 45) == .wait(.seconds(15)))
        #expect(scheduler.poll(now: start + 60) == .run(missed: 0))
        let started = scheduler.cycleStarted(now: start + 60)
        #expect(started)
        #expect(scheduler.cycleFinished(now: start + 65, outcome: .succeeded) == .completed(next: start + 120))
        #expect(scheduler.poll(now: start + 65) == .wait(.seconds(55)))
    }

    @Test func runImmediatelyMakesTheFirstCycleDueAtOnce() throws {
        var scheduler = try minutely(runImmediately: true)
        #expect(scheduler.poll(now: start) == .run(missed: 0))
        scheduler.cycleStarted(now: start)
        #expect(scheduler.nextFire == start + 60)
    }

    @Test func anExhaustedCycleIsSkippedAndTheNextRunsOnSchedule() throws {
        var scheduler = try minutely()
        scheduler.cycleStarted(now: start + 60)
        #expect(scheduler.cycleFinished(now: start + 90, outcome: .exhausted)
            == .skipped(reason: .retriesExhausted, next: start + 120))
        #expect(scheduler.poll(now: start + 90) == .wait(.seconds(30)))
        #expect(CycleSkipReason.retriesExhausted.rawValue == "retries_exhausted")
    }

    @Test func cyclesNeverOverlapAndFiresDuringARunAreCoalesced() throws {
        var scheduler = try minutely()
        let started = scheduler.cycleStarted(now: start + 60)
        #expect(started)
        #expect(scheduler.poll(now: start + 130) == .busy)
        let overlapping = scheduler.cycleStarted(now: start + 130)
        #expect(!overlapping)
        #expect(scheduler.poll(now: start + 245) == .busy)
        // Fires at +120, +180 and +240 came due during the run: one run follows at once, two are reported missed.
        #expect(scheduler.cycleFinished(now: start + 250, outcome: .succeeded) == .completed(next: start + 250))
        #expect(scheduler.poll(now: start + 250) == .run(missed: 2))
        scheduler.cycleStarted(now: start + 250)
        #expect(scheduler.nextFire == start + 300)
    }

    @Test func afterALongPauseItRunsOnceAndReportsTheMissedFires() throws {
        var scheduler = try minutely()
        scheduler.cycleStarted(now: start + 60)
        _ = scheduler.cycleFinished(now: start + 61, outcome: .succeeded)
        // Suspended from +61 s to +10 000 s: fires at +120 … +9 960 are due, 165 in all.
        let resumed = start + 10_000
        #expect(scheduler.poll(now: resumed) == .run(missed: 164))
        scheduler.cycleStarted(now: resumed)
        _ = scheduler.cycleFinished(now: resumed + 2, outcome: .succeeded)
        #expect(scheduler.poll(now: resumed + 2) == .wait(.seconds(18)))
    }

    @Test func aLongPauseOfAnAlignedScheduleRunsOnce() throws {
        let lag = Duration.seconds(4 * 3_600 + 30 * 60)
        let monday = utc(2024, 5, 6, 5, 0, 0)
        var scheduler = try CycleScheduler(schedule: .aligned(hoursUTC: [0, 6, 12, 18], lag: lag), now: monday)
        #expect(scheduler.nextFire == utc(2024, 5, 6, 10, 30))
        // Asleep until Wednesday 12:00: fires from Monday 10:30 to Wednesday 10:30, nine in all.
        let wednesday = utc(2024, 5, 8, 12, 0, 0)
        #expect(scheduler.poll(now: wednesday) == .run(missed: 8))
        scheduler.cycleStarted(now: wednesday)
        #expect(scheduler.nextFire == utc(2024, 5, 8, 16, 30))
    }

    @Test func aBackwardClockJumpNeitherBurstsNorStalls() throws {
        var scheduler = try minutely()
        scheduler.cycleStarted(now: start + 60)
        _ = scheduler.cycleFinished(now: start + 61, outcome: .succeeded)
        // The clock is set back an hour: wait one period from the new time, not an hour and a minute.
        let jumped = start - 3_600
        #expect(scheduler.poll(now: jumped) == .wait(.seconds(60)))
        #expect(scheduler.poll(now: jumped + 60) == .run(missed: 0))
    }

    @Test func aSmallBackwardJumpIsWaitedOut() throws {
        var scheduler = try minutely()
        scheduler.cycleStarted(now: start + 60)
        _ = scheduler.cycleFinished(now: start + 61, outcome: .succeeded)
        // Set back 30 s: the fire at +120 stays where it is, a 89 s wait, and nothing runs twice.
        #expect(scheduler.poll(now: start + 31) == .wait(.seconds(89)))
        #expect(scheduler.nextFire == start + 120)
    }

    @Test func alignedSchedulesSurviveBackwardJumpsWithoutRepeatingARun() throws {
        let lag = Duration.seconds(4 * 3_600 + 30 * 60)
        let morning = utc(2024, 5, 6, 10, 30, 0)
        var scheduler = try CycleScheduler(schedule: .aligned(hoursUTC: [0, 6, 12, 18], lag: lag), now: morning - 1)
        #expect(scheduler.poll(now: morning) == .run(missed: 0))
        scheduler.cycleStarted(now: morning)
        _ = scheduler.cycleFinished(now: morning + 60, outcome: .succeeded)
        // Back an hour: the 10:30 run is not repeated; the next is still 16:30.
        #expect(scheduler.poll(now: utc(2024, 5, 6, 9, 30)) == .wait(.seconds(7 * 3_600)))
        // Back a whole day: re-planned from the new time rather than waiting a day and more.
        #expect(scheduler.poll(now: utc(2024, 5, 5, 20, 0)) == .wait(.seconds(2 * 3_600 + 30 * 60)))
    }

    /// Drives the scheduler as the host's loop does, with a wall clock that may jump.
    ///
    /// Real time advances by what `poll` asks to wait and by each cycle's `cycleLength`; the wall clock is real time
    /// plus an offset that `jumps` change (at a real time, by an amount). Returns the real times the runs started.
    func simulate(
        _ scheduler: inout CycleScheduler,
        for span: TimeInterval,
        cycleLength: TimeInterval,
        jumps: [(at: TimeInterval, by: TimeInterval)] = []
    ) -> [TimeInterval] {
        var real: TimeInterval = 0
        var offset: TimeInterval = 0
        var pending = jumps
        var runs: [TimeInterval] = []
        while real < span {
            while let jump = pending.first, jump.at <= real {
                offset += jump.by
                pending.removeFirst()
            }
            let wall = start + real + offset
            switch scheduler.poll(now: wall) {
            case .wait(let delay):
                // The host sleeps on a monotonic clock, and wakes early if the sleep crosses a clock jump.
                let nextJump = pending.first?.at ?? .infinity
                real = min(real + delay.seconds, max(nextJump, real))
            case .run:
                runs.append(real)
                scheduler.cycleStarted(now: wall)
                real += cycleLength
                _ = scheduler.cycleFinished(now: start + real + offset, outcome: .succeeded)
            case .busy:
                Issue.record("the loop never polls while a cycle runs")
                return runs
            }
        }
        return runs
    }

    @Test func aDayOfTenMinuteCyclesRunsExactlyOnSchedule() throws {
        var scheduler = try CycleScheduler(schedule: .every(.seconds(600)), now: start)
        let runs = simulate(&scheduler, for: 86_400 + 1, cycleLength: 30)
        #expect(runs.count == 144)
        #expect(runs.first == 600)
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1 - $0 == 600 })
    }

    @Test func slowCyclesNeverOverlapAndNeverQueueUp() throws {
        var scheduler = try CycleScheduler(schedule: .every(.seconds(60)), now: start)
        let runs = simulate(&scheduler, for: 3_600, cycleLength: 150)
        // Each run starts when the previous one ends: back to back, no pile-up of the fires missed meanwhile.
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1 - $0 == 150 })
        #expect(runs.count == 24)
    }

    @Test func clockJumpsInTheLoopCauseNoBurstAndNoStall() throws {
        var scheduler = try CycleScheduler(schedule: .every(.seconds(300)), now: start)
        let runs = simulate(
            &scheduler, for: 7_200, cycleLength: 5,
            jumps: [(at: 1_000, by: -5_000), (at: 2_000, by: 40_000), (at: 3_000, by: -200)]
        )
        // No burst: at most one run per period plus one per jump over two hours…
        #expect(runs.count <= 7_200 / 300 + 3)
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1 - $0 >= 5 })
        // …and no stall: never more than two periods without a run.
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1 - $0 <= 600 })
        #expect(runs.count >= 7_200 / 600)
    }
}
