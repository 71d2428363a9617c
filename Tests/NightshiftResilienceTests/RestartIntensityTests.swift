import Testing
@testable import NightshiftResilience

@Suite struct RestartIntensityTests {
    @Test func escalatesWhenRestartsExceedTheLimitWithinThePeriod() {
        var intensity = RestartIntensity(maxRestarts: 3, within: .seconds(60))
        #expect([0.0, 10, 20].map { intensity.failure(at: at($0)) } == [.restart, .restart, .restart])
        #expect(intensity.failure(at: at(30)) == .escalate)
    }

    @Test func oldFailuresSlideOutOfTheWindow() {
        var intensity = RestartIntensity(maxRestarts: 3, within: .seconds(60))
        let decisions = [0.0, 10, 20, 61, 70, 75].map { intensity.failure(at: at($0)) }
        // At 61 the failure at 0 has left the window; at 70 the one at 10 (exactly 60 s old) has too.
        #expect(decisions == [.restart, .restart, .restart, .restart, .restart, .escalate])
        #expect(intensity.recentFailures == [at(20), at(61), at(70), at(75)])
    }

    @Test func failuresSpreadOutNeverEscalate() {
        var intensity = RestartIntensity(maxRestarts: 2, within: .seconds(10))
        for second in stride(from: 0.0, to: 10_000, by: 5.5) {
            #expect(intensity.failure(at: at(second)) == .restart)
        }
    }

    @Test func zeroRestartsEscalatesAtTheFirstFailure() {
        var intensity = RestartIntensity(maxRestarts: 0, within: .seconds(60))
        #expect(intensity.failure(at: at(0)) == .escalate)
    }

    @Test func resetForgetsTheHistory() {
        var intensity = RestartIntensity(maxRestarts: 1, within: .seconds(60))
        #expect(intensity.failure(at: at(0)) == .restart)
        intensity.reset()
        #expect(intensity.failure(at: at(1)) == .restart)
        #expect(intensity.failure(at: at(2)) == .escalate)
    }
}
