import Testing

@testable import NightshiftHost

@Suite("WatchdogPacer")
struct WatchdogPacerTests {
    typealias Instant = WatchdogPacer.Instant
    let start = ContinuousClock.now

    func at(_ seconds: Double) -> Instant {
        start + .milliseconds(Int64((seconds * 1000).rounded()))
    }

    @Test("A healthy loop is fed at once, then every half interval")
    func feedsAtHalfInterval() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        #expect(pacer.decide(at: at(0)) == .feed)
        pacer.fed(at: at(0))

        pacer.heartbeat(at: at(5))
        #expect(pacer.decide(at: at(5)) == .wait(until: at(15)))
        pacer.heartbeat(at: at(10))
        #expect(pacer.decide(at: at(14.9)) == .wait(until: at(15)))
        #expect(pacer.decide(at: at(15)) == .feed)
        pacer.fed(at: at(15))
        #expect(pacer.decide(at: at(15)) == .wait(until: at(30)))
    }

    @Test("Stepping through two minutes of a loop beating every 7 s feeds exactly every 15 s")
    func steadyLoop() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        var feeds: [Instant] = []
        for tenth in 0...1200 {
            let now = at(Double(tenth) / 10)
            if tenth % 70 == 0 { pacer.heartbeat(at: now) }
            if pacer.decide(at: now) == .feed {
                pacer.fed(at: now)
                feeds.append(now)
            }
        }
        #expect(feeds == stride(from: 0.0, through: 120, by: 15).map { at($0) })
    }

    @Test("A loop that stops beating is no longer fed, and the last feed is more than an interval old")
    func stalledLoop() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        var lastFeed: Instant?
        var withheld: WatchdogPacer.StallReason?
        for tenth in 0...1200 {
            let now = at(Double(tenth) / 10)
            if tenth <= 200, tenth % 50 == 0 { pacer.heartbeat(at: now) }  // beats until t=20 s
            switch pacer.decide(at: now) {
            case .feed:
                pacer.fed(at: now)
                lastFeed = now
            case .withhold(let reason, let recheckAt):
                withheld = withheld ?? reason
                #expect(recheckAt == now + pacer.recheckInterval)
            case .wait:
                break
            }
        }
        // Fed at 0, 15 and 30 (heartbeat 10 s old); at 45 the heartbeat is 25 s old: stalled.
        #expect(lastFeed == at(30))
        #expect(withheld == .loopStalled(lastHeartbeat: at(20)))
        #expect(lastFeed!.duration(to: at(120)) > pacer.interval)
    }

    @Test("A heartbeat exactly at the stall limit still counts as healthy; just past it does not")
    func stallBoundary() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        pacer.fed(at: at(0))
        #expect(pacer.decide(at: at(15)) == .feed)
        pacer.fed(at: at(15))
        #expect(pacer.decide(at: at(15.001)) == .withhold(.loopStalled(lastHeartbeat: at(0)), recheckAt: at(18.751)))
    }

    @Test("Feeding resumes when the loop beats again before systemd acts")
    func recovery() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        pacer.fed(at: at(0))
        pacer.fed(at: at(15))
        #expect(pacer.decide(at: at(30)) == .withhold(.loopStalled(lastHeartbeat: at(0)), recheckAt: at(33.75)))
        pacer.heartbeat(at: at(33))
        #expect(pacer.decide(at: at(33.75)) == .feed)
    }

    @Test("A deadline overrun stops feeding for good, however fresh the heartbeats")
    func deadlineOverrun() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        pacer.fed(at: at(0))
        pacer.deadlineOverran("paper-broker: submit_order")
        pacer.deadlineOverran("mean-reversion: on_batch")
        for second in stride(from: 1.0, through: 90, by: 1) {
            pacer.heartbeat(at: at(second))
            #expect(
                pacer.decide(at: at(second))
                    == .withhold(.deadlineOverrun("paper-broker: submit_order"), recheckAt: at(second + 3.75)))
        }
        #expect(pacer.overrun == "paper-broker: submit_order")
    }

    @Test("Heartbeats reported out of order never move the last heartbeat back")
    func outOfOrderHeartbeat() {
        var pacer = WatchdogPacer(interval: .seconds(30), startingAt: at(0))
        pacer.heartbeat(at: at(12))
        pacer.heartbeat(at: at(4))
        #expect(pacer.lastHeartbeat == at(12))
        #expect(pacer.decide(at: at(27)) == .feed)
    }

    @Test("Intervals split as systemd expects: feed and stall limit at a half, rechecks at an eighth")
    func derivedIntervals() {
        let pacer = WatchdogPacer(interval: .seconds(2), startingAt: at(0))
        #expect(pacer.feedInterval == .seconds(1))
        #expect(pacer.stallLimit == .seconds(1))
        #expect(pacer.recheckInterval == .milliseconds(250))
    }
}
