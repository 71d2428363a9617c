/// A point on a monotonic time line, in nanoseconds from an arbitrary origin.
///
/// Every state machine in this module takes time as a value instead of reading a clock, so tests can place events at
/// any instant and the machines never wait. The origin is the caller's choice (process start, boot); only differences
/// between instants mean anything. Arithmetic saturates at the ends of `Int64` rather than trapping, so a huge
/// `Retry-After` or a runaway backoff can never crash the host.
public struct MonotonicInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since the caller's origin.
    public var nanoseconds: Int64

    /// Creates an instant the given number of nanoseconds after the origin.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The origin itself.
    public static let zero = MonotonicInstant(nanoseconds: 0)

    /// Creates the instant `instant` lies after `origin` on the continuous clock.
    ///
    /// This is how a shell turns `ContinuousClock.now` into a value the state machines accept.
    public init(_ instant: ContinuousClock.Instant, since origin: ContinuousClock.Instant) {
        self.nanoseconds = (instant - origin).saturatingNanoseconds
    }

    /// The time from `self` to `other`; negative when `other` is earlier.
    public func duration(to other: MonotonicInstant) -> Duration {
        other - self
    }

    public var description: String {
        "\(Duration.nanoseconds(nanoseconds))"
    }

    // MARK: - Arithmetic

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// The instant `duration` after `instant`, saturating at the end of the time line.
    public static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: instant.nanoseconds.saturatingAdding(duration.saturatingNanoseconds))
    }

    /// The instant `duration` before `instant`, saturating at the start of the time line.
    public static func - (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        let delta = duration.saturatingNanoseconds
        let negated = delta == .min ? Int64.max : -delta
        return MonotonicInstant(nanoseconds: instant.nanoseconds.saturatingAdding(negated))
    }

    /// The time elapsed from `rhs` to `lhs`.
    public static func - (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Duration {
        let (difference, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.nanoseconds)
        if overflow {
            return .nanoseconds(lhs.nanoseconds > rhs.nanoseconds ? Int64.max : Int64.min)
        }
        return .nanoseconds(difference)
    }
}

extension Int64 {
    /// `self + other`, clamped to the representable range instead of trapping.
    func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
