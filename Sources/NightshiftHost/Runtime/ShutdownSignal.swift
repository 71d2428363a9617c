import Synchronization

/// A one-way "stop now" flag that also wakes every sleeper, so waits in retry and schedule loops end at shutdown.
///
/// Sleeps measure the monotonic clock: a wall-clock step (NTP, a manual change) neither stretches nor cuts them.
public final class ShutdownSignal: Sendable {
    private let condition = MonotonicCondition()
    private let triggered = Atomic<Bool>(false)

    public init() {}

    public var isTriggered: Bool { triggered.load(ordering: .acquiring) }

    /// Sets the flag and wakes every sleeper.
    public func trigger() {
        condition.lock()
        triggered.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps for `duration` unless shutdown begins first.
    ///
    /// - Returns: false when woken by shutdown.
    @discardableResult
    public func sleep(for duration: Duration) -> Bool {
        let deadline = MonotonicCondition.deadline(after: duration)
        condition.lock()
        defer { condition.unlock() }
        while !isTriggered {
            if !condition.wait(until: deadline) { return !isTriggered }
        }
        return false
    }
}
