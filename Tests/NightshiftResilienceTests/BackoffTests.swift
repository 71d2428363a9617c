import Testing
@testable import NightshiftResilience

@Suite struct BackoffTests {
    /// 100 ms doubling, capped at 5 s: the ceilings are written out by hand.
    let expectedCeilings: [Double] = [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5, 5, 5, 5, 5, 5]

    func backoff(_ jitter: Jitter) -> Backoff {
        Backoff(baseDelay: .milliseconds(100), multiplier: 2, maxDelay: .seconds(5), jitter: jitter)
    }

    @Test func ceilingGrowsExponentiallyUpToTheCap() {
        let backoff = backoff(.none)
        for (index, expected) in expectedCeilings.enumerated() {
            #expect(abs(backoff.ceiling(forRetry: index).seconds - expected) < 1e-9, "retry \(index)")
        }
        #expect(backoff.ceiling(forRetry: 10_000) == .seconds(5))
    }

    @Test func noJitterIsExactlyTheCeiling() {
        var backoff = backoff(.none)
        var random = SplitMix64(seed: 1)
        let delays = (0..<12).map { backoff.delay(forRetry: $0, using: &random).seconds }
        for (delay, expected) in zip(delays, expectedCeilings) {
            #expect(abs(delay - expected) < 1e-9)
        }
    }

    @Test func fullJitterStaysWithinZeroAndTheCeilingAndSpreadsOverIt() {
        var backoff = backoff(.full)
        var random = SplitMix64(seed: 7)
        for (index, ceiling) in expectedCeilings.enumerated() {
            let samples = (0..<2_000).map { _ in backoff.delay(forRetry: index, using: &random).seconds }
            #expect(samples.allSatisfy { $0 >= 0 && $0 <= ceiling + 1e-9 }, "retry \(index)")
            // Uniform over the whole range: some samples land near each end.
            #expect(samples.min()! < ceiling * 0.05)
            #expect(samples.max()! > ceiling * 0.95)
        }
    }

    @Test func equalJitterStaysWithinHalfAndTheCeiling() {
        var backoff = backoff(.equal)
        var random = SplitMix64(seed: 8)
        for (index, ceiling) in expectedCeilings.enumerated() {
            let samples = (0..<2_000).map { _ in backoff.delay(forRetry: index, using: &random).seconds }
            #expect(samples.allSatisfy { $0 >= ceiling / 2 - 1e-9 && $0 <= ceiling + 1e-9 }, "retry \(index)")
            #expect(samples.min()! < ceiling * 0.55)
        }
    }

    @Test func decorrelatedJitterGrowsFromItsPreviousDelayWithinBaseAndCap() {
        var backoff = backoff(.decorrelated)
        var random = SplitMix64(seed: 9)
        var previous = 0.1
        var reachedCap = false
        for index in 0..<5_000 {
            let delay = backoff.delay(forRetry: index, using: &random).seconds
            #expect(delay >= 0.1 - 1e-9)
            #expect(delay <= min(5, previous * 3) + 1e-9)
            reachedCap = reachedCap || delay > 4.5
            previous = delay
        }
        #expect(reachedCap)
    }

    @Test func resetStartsDecorrelatedGrowthFromTheBaseAgain() {
        var backoff = backoff(.decorrelated)
        var random = SplitMix64(seed: 10)
        for index in 0..<50 { _ = backoff.delay(forRetry: index, using: &random) }
        backoff.reset()
        #expect(backoff.previousDelay == nil)
        let first = backoff.delay(forRetry: 0, using: &random).seconds
        #expect(first >= 0.1 - 1e-9 && first <= 0.3 + 1e-9)
    }

    @Test(arguments: Jitter.allCases)
    func hugeMultipliersAndRetryCountsNeverExceedTheCap(jitter: Jitter) {
        var backoff = Backoff(baseDelay: .seconds(1), multiplier: 1e300, maxDelay: .seconds(30), jitter: jitter)
        var random = SplitMix64(seed: 11)
        for index in [0, 1, 2, 63, 64, 1_000, Int.max] {
            let delay = backoff.delay(forRetry: index, using: &random)
            #expect(delay >= .zero && delay <= .seconds(30))
        }
    }

    @Test func sameSeedGivesTheSameDelays() {
        var first = backoff(.full)
        var second = backoff(.full)
        var randomA = SplitMix64(seed: 99)
        var randomB = SplitMix64(seed: 99)
        let a = (0..<20).map { first.delay(forRetry: $0, using: &randomA) }
        let b = (0..<20).map { second.delay(forRetry: $0, using: &randomB) }
        #expect(a == b)
    }
}
