/// A source of randomness for jittered delays.
///
/// Jitter spreads retries and reconnects of many clients over time so a recovering server is not hit by all of them at
/// once. The machines take the source as a value: production passes `SystemJitter`, tests pass a seeded
/// `SplitMix64` and get the same delays on every run.
public protocol JitterSource: RandomNumberGenerator, Sendable {}

/// Jitter from the system's cryptographically secure generator.
public struct SystemJitter: JitterSource {
    private var generator = SystemRandomNumberGenerator()

    /// Creates a system jitter source.
    public init() {}

    public mutating func next() -> UInt64 {
        generator.next()
    }
}
