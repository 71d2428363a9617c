import struct Foundation.Date

/// The cycle timing of one polling source, as a state machine over wall-clock times passed in.
///
/// A shell loops: `poll(now:)` says wait, run or busy; around each run it calls `cycleStarted(now:)` and
/// `cycleFinished(now:outcome:)`. The guarantees:
/// - Cycles never overlap. While one runs, `poll` answers `.busy`, and every fire that comes due meanwhile is
///   coalesced into one run right after it.
/// - After a long pause (suspend, or the wall clock jumping forward many periods) the source runs once, not once per
///   missed fire, and `.run(missed:)` says how many were folded in.
/// - A wall clock that jumps backwards does not cause a burst. A small jump (up to the schedule's longest gap, at most
///   three hours) is waited out, so no run is repeated; a larger one re-plans from the new time, as cron does, so the
///   source never stalls for longer than that.
/// - A cycle that exhausts its retries is skipped; the next one still runs on schedule.
public struct CycleScheduler: Sendable {
    /// When the source runs.
    public let schedule: Schedule
    /// The next fire: a grid point of the schedule, or the creation time for `runImmediately`.
    public private(set) var nextFire: Date
    /// The start of the running cycle, if one is running.
    public private(set) var runningSince: Date?
    /// The grid origin of an `.every` schedule.
    public private(set) var anchor: Date

    /// Creates a scheduler.
    ///
    /// - Parameters:
    ///   - schedule: When the source runs; validated here.
    ///   - now: The current wall-clock time; also the grid origin of an `.every` schedule.
    ///   - runImmediately: Whether the first cycle is due at once instead of at the first fire after `now`.
    /// - Throws: `ScheduleError` if the schedule cannot fire.
    public init(schedule: Schedule, now: Date, runImmediately: Bool = false) throws(ScheduleError) {
        try schedule.validate()
        self.schedule = schedule
        self.anchor = now
        self.nextFire = runImmediately ? now : schedule.nextFire(after: now, anchor: now)
    }

    /// Whether a cycle is running.
    public var isRunning: Bool {
        runningSince != nil
    }

    /// The first fire of the schedule strictly after `now`.
    public func nextFire(after now: Date) -> Date {
        schedule.nextFire(after: now, anchor: anchor)
    }

    /// Says what the shell should do at `now`.
    public mutating func poll(now: Date) -> CycleAction {
        if isRunning { return .busy }
        reanchorIfClockWentBack(now: now)
        guard now >= nextFire else {
            return .wait(.clampedSeconds(nextFire.timeIntervalSince(now)))
        }
        return .run(missed: schedule.fires(after: nextFire, through: now, anchor: anchor))
    }

    /// Records that a cycle started at `now`; the next fire moves to the first grid point after `now`.
    ///
    /// - Returns: `false`, changing nothing, if a cycle is already running: cycles never overlap.
    @discardableResult
    public mutating func cycleStarted(now: Date) -> Bool {
        guard !isRunning else { return false }
        runningSince = now
        nextFire = nextFire(after: now)
        return true
    }

    /// Records that the running cycle ended at `now` with `outcome`, and says whether it counts as skipped.
    public mutating func cycleFinished(now: Date, outcome: CycleOutcome) -> CycleDecision {
        runningSince = nil
        reanchorIfClockWentBack(now: now)
        let next = max(nextFire, now)
        switch outcome {
        case .succeeded:
            return .completed(next: next)
        case .exhausted:
            return .skipped(reason: .retriesExhausted, next: next)
        }
    }

    // MARK: - Clock jumps

    /// The most a backward jump may add to a wait before the scheduler re-plans from the new time.
    static let backwardTolerance = Duration.seconds(3 * 3_600)

    /// A next fire further away than the longest gap plus a tolerance means the wall clock went backwards by more than
    /// the tolerance; rather than wait for the old time to come round again, re-plan from `now` (an `.every` grid
    /// restarts at `now`). Smaller jumps are waited out, so a run that already happened is not repeated.
    private mutating func reanchorIfClockWentBack(now: Date) {
        let gap = schedule.longestGap
        let limit = gap + min(gap, Self.backwardTolerance)
        guard nextFire.timeIntervalSince(now) > limit.inSeconds else { return }
        if case .every = schedule { anchor = now }
        nextFire = nextFire(after: now)
    }
}
