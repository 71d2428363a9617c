import Testing
@testable import NightshiftResilience

@Suite struct ReconnectSupervisorTests {
    /// Exact delays: 1 s doubling to at most 30 s; escalate at 5 in a row; healthy after 30 s; stalled after 60 s.
    let policy = ReconnectPolicy(
        baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(30), jitter: .none,
        maxConsecutiveFailures: 5, healthyAfter: .seconds(30), idleTimeout: .seconds(60)
    )

    /// Connects at `time`, stays up for `upFor` (with data at `dataAfter`, if given), then drops.
    func cycle(
        _ supervisor: inout ReconnectSupervisor,
        at time: Double,
        upFor: Double,
        dataAfter: Double? = nil
    ) -> ReconnectAction? {
        supervisor.connectStarted(now: at(time))
        supervisor.connected(now: at(time + 0.1))
        if let dataAfter { supervisor.dataReceived(now: at(time + 0.1 + dataAfter)) }
        return supervisor.disconnected("closed by peer", now: at(time + 0.1 + upFor))
    }

    @Test func startAsksForAConnect() {
        var supervisor = ReconnectSupervisor(policy: policy)
        #expect(supervisor.start() == .connect)
        #expect(supervisor.state == .idle)
    }

    @Test func failedConnectsBackOffThenEscalate() {
        var supervisor = ReconnectSupervisor(policy: policy)
        var actions: [ReconnectAction?] = []
        for attempt in 0..<5 {
            supervisor.connectStarted(now: at(Double(attempt) * 100))
            actions.append(supervisor.disconnected("connection refused", now: at(Double(attempt) * 100 + 1)))
        }
        #expect(actions == [
            .reconnect(after: .seconds(1), consecutive: 1), .reconnect(after: .seconds(2), consecutive: 2),
            .reconnect(after: .seconds(4), consecutive: 3), .reconnect(after: .seconds(8), consecutive: 4),
            .giveUp(consecutive: 5, reason: "connection refused"),
        ])
        #expect(supervisor.state == .gaveUp)
        #expect(supervisor.isFinished)
        #expect(supervisor.start() == .giveUp(consecutive: 5, reason: "already gave up"))
    }

    @Test func aFlappingLinkKeepsCountingAndEscalates() {
        var supervisor = ReconnectSupervisor(policy: policy)
        var last: ReconnectAction?
        for index in 0..<5 {
            // Up for two seconds each time, no data: never healthy.
            last = cycle(&supervisor, at: Double(index) * 60, upFor: 2)
        }
        #expect(last == .giveUp(consecutive: 5, reason: "closed by peer"))
    }

    @Test func firstDataMarksTheLinkHealthyAndResetsTheCount() {
        var supervisor = ReconnectSupervisor(policy: policy)
        for index in 0..<4 {
            _ = cycle(&supervisor, at: Double(index) * 60, upFor: 2)
        }
        #expect(supervisor.consecutiveFailures == 4)
        supervisor.connectStarted(now: at(300))
        supervisor.connected(now: at(300.1))
        #expect(!supervisor.isHealthy)
        supervisor.dataReceived(now: at(301))
        #expect(supervisor.isHealthy)
        #expect(supervisor.consecutiveFailures == 0)
        let action = supervisor.disconnected("closed by peer", now: at(302))
        #expect(action == .reconnect(after: .seconds(1), consecutive: 1))
    }

    @Test func stayingUpForHealthyAfterResetsTheCountWithOrWithoutATick() {
        var ticked = ReconnectSupervisor(policy: policy)
        for index in 0..<4 { _ = cycle(&ticked, at: Double(index) * 60, upFor: 2) }
        ticked.connectStarted(now: at(300))
        ticked.connected(now: at(300))
        #expect(ticked.tick(now: at(329)) == nil)
        #expect(!ticked.isHealthy)
        #expect(ticked.tick(now: at(330)) == nil)
        #expect(ticked.isHealthy)
        #expect(ticked.consecutiveFailures == 0)

        var untouched = ReconnectSupervisor(policy: policy)
        for index in 0..<4 { _ = cycle(&untouched, at: Double(index) * 60, upFor: 2) }
        #expect(cycle(&untouched, at: 300, upFor: 31) == .reconnect(after: .seconds(1), consecutive: 1))
    }

    @Test func aSilentLinkIsStalledOncePerSilence() {
        var supervisor = ReconnectSupervisor(policy: policy)
        supervisor.connectStarted(now: at(0))
        supervisor.connected(now: at(1))
        supervisor.dataReceived(now: at(5))
        #expect(supervisor.tick(now: at(64.9)) == nil)
        #expect(supervisor.tick(now: at(65)) == .stalled(idleFor: .seconds(60)))
        #expect(supervisor.tick(now: at(70)) == nil)
        // The shell closes the link; a healthy link's drop starts the count afresh.
        let action = supervisor.disconnected("idle timeout", now: at(70))
        #expect(action == .reconnect(after: .seconds(1), consecutive: 1))
        #expect(supervisor.tick(now: at(500)) == nil)
    }

    @Test func dataKeepsALinkFromStalling() {
        var supervisor = ReconnectSupervisor(policy: policy)
        supervisor.connectStarted(now: at(0))
        supervisor.connected(now: at(0))
        for second in stride(from: 10.0, through: 600, by: 10) {
            supervisor.dataReceived(now: at(second))
            #expect(supervisor.tick(now: at(second + 5)) == nil)
        }
    }

    @Test func aHungConnectIsStalled() {
        var supervisor = ReconnectSupervisor(policy: policy)
        supervisor.connectStarted(now: at(10))
        #expect(supervisor.tick(now: at(69)) == nil)
        #expect(supervisor.tick(now: at(70)) == .stalled(idleFor: .seconds(60)))
        let action = supervisor.disconnected("handshake timeout", now: at(70))
        #expect(action == .reconnect(after: .seconds(1), consecutive: 1))
    }

    @Test func fatalStopsAtOnceWhateverTheCount() {
        var supervisor = ReconnectSupervisor(policy: policy)
        _ = cycle(&supervisor, at: 0, upFor: 1)
        supervisor.connectStarted(now: at(10))
        supervisor.connected(now: at(11))
        #expect(supervisor.fatal("authentication rejected") == .stop("authentication rejected"))
        #expect(supervisor.state == .stopped)
        #expect(supervisor.disconnected("closed", now: at(12)) == nil)
        #expect(supervisor.tick(now: at(500)) == nil)
        supervisor.connectStarted(now: at(600))
        #expect(supervisor.state == .stopped)
        #expect(supervisor.start() == .stop("already stopped"))
    }

    @Test func aDuplicateDisconnectIsIgnored() {
        var supervisor = ReconnectSupervisor(policy: policy)
        #expect(cycle(&supervisor, at: 0, upFor: 1) == .reconnect(after: .seconds(1), consecutive: 1))
        #expect(supervisor.disconnected("closed again", now: at(2)) == nil)
        #expect(supervisor.consecutiveFailures == 1)
    }

    @Test func delaysAreCappedAndJitteredWithinTheirCeilings() {
        let jittered = ReconnectPolicy(
            baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(30), jitter: .full,
            maxConsecutiveFailures: 1_000, healthyAfter: .seconds(30), idleTimeout: .seconds(60)
        )
        for seed in UInt64(0)..<50 {
            var supervisor = ReconnectSupervisor(policy: jittered, jitter: SplitMix64(seed: seed))
            for index in 0..<40 {
                let action = cycle(&supervisor, at: Double(index) * 100, upFor: 1)
                guard case .reconnect(let delay, let consecutive) = action else {
                    Issue.record("expected a reconnect")
                    return
                }
                #expect(consecutive == index + 1)
                #expect(delay >= .zero && delay <= .seconds(min(30, 1 << min(index, 20))))
            }
        }
        var exact = ReconnectSupervisor(policy: ReconnectPolicy(
            baseDelay: .seconds(1), maxDelay: .seconds(30), jitter: .none, maxConsecutiveFailures: 100
        ))
        let delays = (0..<8).map { cycle(&exact, at: Double($0) * 100, upFor: 1) }
        #expect(delays.last == .reconnect(after: .seconds(30), consecutive: 8))
    }

    @Test func timeUntilNextCheckPointsAtTheEarliestTimer() {
        var supervisor = ReconnectSupervisor(policy: policy)
        #expect(supervisor.timeUntilNextCheck(now: at(0)) == nil)
        supervisor.connectStarted(now: at(0))
        #expect(supervisor.timeUntilNextCheck(now: at(10)) == .seconds(50))
        supervisor.connected(now: at(10))
        #expect(supervisor.timeUntilNextCheck(now: at(10)) == .seconds(30))
        supervisor.dataReceived(now: at(20))
        #expect(supervisor.timeUntilNextCheck(now: at(25)) == .seconds(55))
    }
}
