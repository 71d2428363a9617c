import Foundation
import NightshiftJSON
import NightshiftResilience
import Synchronization

/// How fast a replay runs against wall time.
public enum ReplaySpeed: Sendable, Equatable, CustomStringConvertible {
    /// As fast as the plugins go: the simulated clock jumps from one recorded time to the next.
    case max
    /// `factor` recorded seconds per wall second (`1x` is real time, `10x` ten times faster).
    case factor(Double)

    /// Parses `max`, `1x`, `10x`, `0.5x`.
    public init?(_ text: String) {
        if text == "max" {
            self = .max
            return
        }
        guard text.hasSuffix("x"), let factor = Double(text.dropLast()), factor.isFinite, factor > 0 else { return nil }
        self = .factor(factor)
    }

    public var description: String {
        switch self {
        case .max: "max"
        case .factor(let factor): "\(JSONValue.format(factor))x"
        }
    }
}

/// The simulated host clock of a replay: it reads the recording's time, never goes backwards, and at a paced speed
/// holds each step back until wall time has caught up.
///
/// Everything that reads time in a replay reads this: `now_ns`, `begin_cycle`, the order router's risk windows and
/// the retry deadlines of replayed requests. Only the replay's feeder and the replay transport move it.
public final class ReplayClock: Sendable {
    private let current: Atomic<Int64>
    private let speed: ReplaySpeed
    /// The recorded time and the wall instant pacing counts from, set by the first step.
    private let origin = Mutex<(recorded: Int64, wall: ContinuousClock.Instant)?>(nil)

    /// A clock standing at `start` (ns since the epoch).
    public init(start: Int64, speed: ReplaySpeed) {
        current = Atomic(start)
        self.speed = speed
    }

    /// The simulated time, ns since the epoch.
    public var now: Int64 { current.load(ordering: .acquiring) }

    /// The simulated time as a `Date`.
    var date: Date { Date(timeIntervalSince1970: Double(now) / 1e9) }

    /// The clock as the retry shell's monotonic clock.
    var monotonic: MonotonicClock { MonotonicClock { [self] in MonotonicInstant(nanoseconds: now) } }

    /// Moves the clock to `time` (never backwards), first waiting at a paced speed until wall time allows it.
    ///
    /// - Returns: false when `shutdown` began during the wait; the clock has not moved then.
    @discardableResult
    func advance(to time: Int64, shutdown: ShutdownSignal) -> Bool {
        let target = Swift.max(time, now)
        if case .factor(let factor) = speed {
            let start = origin.withLock { origin in
                let start = origin ?? (now, ContinuousClock.now)
                origin = start
                return start
            }
            let due = start.wall + .nanoseconds(Int64(Double(target - start.recorded) / factor))
            let wait = ContinuousClock.now.duration(to: due)
            if wait > .zero, !shutdown.sleep(for: wait) { return false }
        }
        current.store(target, ordering: .releasing)
        return true
    }
}
