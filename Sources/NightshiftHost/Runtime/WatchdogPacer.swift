/// Decides when to feed the systemd watchdog: every half interval, and only while the event loop is healthy.
///
/// A pure state machine: the event loop reports heartbeats, the feeder asks `decide(at:)` and acts on the answer;
/// every instant is passed in, so tests drive it without waiting. Feeding is withheld when the loop has not sent a
/// heartbeat for more than half the interval, or once a plugin call overran its deadline. Withholding is the point:
/// systemd then kills the stuck process (`Result=watchdog`) and restarts it, which is the only cure for a thread
/// blocked inside code the host cannot cancel.
///
/// Timing: feeds are due `interval / 2` apart, and a stall is declared after `interval / 2` without a heartbeat, so
/// the loop should beat at least every `interval / 4`. A loop that stalls right after a heartbeat is killed between
/// one and one and a half intervals later.
public struct WatchdogPacer: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// Why the watchdog is not being fed.
    public enum StallReason: Sendable, Hashable {
        /// The event loop's last heartbeat, at this instant, is older than the stall limit.
        case loopStalled(lastHeartbeat: Instant)
        /// A plugin call overran its deadline; the description names the call, never its data.
        case deadlineOverrun(String)
    }

    /// What the feeder should do now.
    public enum Action: Sendable, Hashable {
        /// Send `WATCHDOG=1` now, then report it with `fed(at:)`.
        case feed
        /// Healthy and recently fed: nothing to do before this instant.
        case wait(until: Instant)
        /// Unhealthy: do not feed. Ask again at `recheckAt`, in case the loop recovers before systemd acts.
        case withhold(StallReason, recheckAt: Instant)
    }

    /// The watchdog interval systemd enforces (`WatchdogSec=`).
    public let interval: Duration
    /// The time from the last feed after which `WATCHDOG=1` is due again.
    public var feedInterval: Duration { interval / 2 }
    /// How long without a heartbeat the loop counts as stalled.
    public var stallLimit: Duration { interval / 2 }
    /// How often a withholding feeder asks again.
    public var recheckInterval: Duration { interval / 8 }

    /// The latest heartbeat from the event loop (initially the instant the pacer was created).
    public private(set) var lastHeartbeat: Instant
    /// When `WATCHDOG=1` was last sent, if ever.
    public private(set) var lastFeed: Instant?
    /// The deadline overrun that stopped feeding for good, if one was reported.
    public private(set) var overrun: String?

    /// Creates a pacer whose loop counts as healthy at `start`.
    public init(interval: Duration, startingAt start: Instant) {
        self.interval = interval
        lastHeartbeat = start
    }

    // MARK: - Inputs

    /// The event loop completed a turn at `instant`; out-of-order instants are ignored.
    public mutating func heartbeat(at instant: Instant) {
        if instant > lastHeartbeat { lastHeartbeat = instant }
    }

    /// A plugin call overran its deadline: feeding stops for good, whatever the heartbeats say.
    ///
    /// The call's thread is blocked in plugin code the host cannot cancel, so only a restart recovers; the first
    /// description reported is kept.
    public mutating func deadlineOverran(_ description: String) {
        if overrun == nil { overrun = description }
    }

    /// `WATCHDOG=1` was sent at `instant`.
    public mutating func fed(at instant: Instant) {
        lastFeed = instant
    }

    // MARK: - Decision

    /// What to do at `now`.
    public func decide(at now: Instant) -> Action {
        if let overrun {
            return .withhold(.deadlineOverrun(overrun), recheckAt: now + recheckInterval)
        }
        if lastHeartbeat.duration(to: now) > stallLimit {
            return .withhold(.loopStalled(lastHeartbeat: lastHeartbeat), recheckAt: now + recheckInterval)
        }
        guard let lastFeed else { return .feed }
        let due = lastFeed + feedInterval
        return now >= due ? .feed : .wait(until: due)
    }
}
