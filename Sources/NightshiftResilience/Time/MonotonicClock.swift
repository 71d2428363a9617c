/// A source of monotonic instants, injected wherever a shell needs to read the time.
///
/// The state machines never read a clock; the shells (such as `RetryRunner`) do, through this value, so a test can
/// hand in a clock it advances by hand.
public struct MonotonicClock: Sendable {
    /// Reads the current instant.
    public var now: @Sendable () -> MonotonicInstant

    /// Creates a clock from a closure that reads the current instant.
    public init(now: @escaping @Sendable () -> MonotonicInstant) {
        self.now = now
    }

    /// A clock over `ContinuousClock`, counting from the moment this function is called.
    ///
    /// `ContinuousClock` keeps counting while the machine is suspended, so a retry deadline still holds across a
    /// suspend.
    public static func continuous() -> MonotonicClock {
        let origin = ContinuousClock.now
        return MonotonicClock { MonotonicInstant(ContinuousClock.now, since: origin) }
    }
}
