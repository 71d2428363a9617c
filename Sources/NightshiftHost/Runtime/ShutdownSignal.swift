import Foundation
import Synchronization

/// A one-way "stop now" flag that also wakes every sleeper, so waits in retry and schedule loops end at shutdown.
public final class ShutdownSignal: Sendable {
    private let condition = NSCondition()
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
        let deadline = Date().addingTimeInterval(duration.seconds)
        condition.lock()
        defer { condition.unlock() }
        while !isTriggered {
            if !condition.wait(until: deadline) { return true }
        }
        return false
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
