import Testing
@testable import NightshiftResilience

@Suite struct MonotonicInstantTests {
    @Test func arithmeticAndOrdering() {
        let start = at(10)
        let later = start + .milliseconds(1_500)
        #expect(later.nanoseconds == 11_500_000_000)
        #expect(later - start == .milliseconds(1_500))
        #expect(start.duration(to: later) == .milliseconds(1_500))
        #expect(later.duration(to: start) == .milliseconds(-1_500))
        #expect(later - .milliseconds(1_500) == start)
        #expect(start < later)
    }

    @Test func arithmeticSaturatesInsteadOfTrapping() {
        let nearEnd = MonotonicInstant(nanoseconds: .max - 10)
        #expect((nearEnd + .seconds(1)).nanoseconds == .max)
        #expect((nearEnd + .seconds(Int64.max)).nanoseconds == .max)
        let nearStart = MonotonicInstant(nanoseconds: .min + 10)
        #expect((nearStart - .seconds(1)).nanoseconds == .min)
        #expect(nearEnd - nearStart == .nanoseconds(Int64.max))
        #expect(nearStart - nearEnd == .nanoseconds(Int64.min))
    }

    @Test func continuousClockInstantsConvert() {
        let origin = ContinuousClock.now
        let instant = MonotonicInstant(origin.advanced(by: .milliseconds(250)), since: origin)
        #expect(instant == at(0.25))
    }
}
