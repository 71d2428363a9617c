import Testing
@testable import NightshiftMetrics

/// Liveness and readiness decisions, driven with explicit instants.
@Suite struct HealthStateTests {
    let start = ContinuousClock.now

    @Test func notAliveBeforeTheFirstHeartbeatThenAliveWithinTheLimit() {
        var state = HealthState(heartbeatLimit: .seconds(5))
        #expect(state.liveness(at: start, storeTrouble: nil) == .failing("starting: the monitor loop has not run yet"))
        state.heartbeat(at: start)
        #expect(state.liveness(at: start + .seconds(5), storeTrouble: nil) == .passing("ok"))
    }

    @Test func aSilentLoopFailsPastTheLimitAndRecoversWithTheNextBeat() {
        var state = HealthState(heartbeatLimit: .seconds(5))
        state.heartbeat(at: start)
        #expect(state.liveness(at: start + .milliseconds(7250), storeTrouble: nil)
            == .failing("monitor loop silent for 7250 ms (limit 5000 ms)"))
        state.heartbeat(at: start + .seconds(7))
        state.heartbeat(at: start + .seconds(6))  // late and out of order: ignored
        #expect(state.lastHeartbeat == start + .seconds(7))
        #expect(state.liveness(at: start + .milliseconds(7250), storeTrouble: nil).healthy)
    }

    @Test func storeTroubleFailsLivenessWithItsReason() {
        var state = HealthState(heartbeatLimit: .seconds(5))
        state.heartbeat(at: start)
        #expect(state.liveness(at: start, storeTrouble: "event log: store unavailable, 10 bytes spooled")
            == .failing("event log: store unavailable, 10 bytes spooled"))
    }

    @Test func aStallIsFinalAndKeepsItsFirstReason() {
        var state = HealthState(heartbeatLimit: .seconds(5))
        state.heartbeat(at: start)
        state.stalled("instance faulty overran its call deadline")
        state.stalled("another")
        state.heartbeat(at: start + .seconds(1))
        #expect(state.liveness(at: start + .seconds(1), storeTrouble: nil)
            == .failing("stalled: instance faulty overran its call deadline"))
    }

    @Test func readinessFollowsStartReadyAndStop() {
        var state = HealthState(heartbeatLimit: .seconds(5))
        #expect(state.readiness() == .failing("starting"))
        state.ready()
        #expect(state.readiness() == .passing("ready"))
        state.stopping()
        state.ready()  // a stop is not undone
        #expect(state.readiness() == .failing("stopping"))
    }
}
