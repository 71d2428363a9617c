import Dispatch
import Glibc
import Synchronization

/// A one-way "stop now" flag that also wakes every sleeper, so waits in retry and schedule loops end at shutdown.
///
/// Sleeps measure the monotonic clock: a wall-clock step (NTP, a manual change) neither stretches nor cuts them.
public final class ShutdownSignal: @unchecked Sendable {
    // A pthread condition on CLOCK_MONOTONIC: Foundation's NSCondition waits on an absolute wall-clock deadline.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let triggered = Atomic<Bool>(false)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public var isTriggered: Bool { triggered.load(ordering: .acquiring) }

    /// Sets the flag and wakes every sleeper.
    public func trigger() {
        pthread_mutex_lock(mutex)
        triggered.store(true, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Sleeps for `duration` unless shutdown begins first.
    ///
    /// - Returns: false when woken by shutdown.
    @discardableResult
    public func sleep(for duration: Duration) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let total = Int64(deadline.tv_nsec) + min(duration.nanosecondsSaturated, Int64.max / 2)
        deadline.tv_sec += Int(total / 1_000_000_000)
        deadline.tv_nsec = Int(total % 1_000_000_000)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isTriggered {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return !isTriggered }
        }
        return false
    }
}
