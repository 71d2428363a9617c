import Testing
@testable import NightshiftEvents

@Suite struct StoreLinkTests {
    @Test func aFailureStartsAnOutageAndWaitsTheRetryInterval() {
        let start = ContinuousClock.now
        var link = StoreLink(retryInterval: .seconds(2), now: start)
        #expect(link.mayAttempt(at: start, forced: false))
        let began = link.failed(at: start, schemaSuspect: false)
        let beganAgain = link.failed(at: start, schemaSuspect: false)
        #expect(began && !beganAgain)
        #expect(!link.mayAttempt(at: start + .seconds(1), forced: false))
        #expect(link.mayAttempt(at: start + .seconds(1), forced: true))
        #expect(link.mayAttempt(at: start + .seconds(2), forced: false))
        let ended = link.succeeded()
        let endedAgain = link.succeeded()
        #expect(ended && !endedAgain)
    }

    @Test func aRejectedStatementMakesTheSchemaSuspect() {
        var link = StoreLink(retryInterval: .seconds(1), now: .now)
        link.isMigrated = true
        _ = link.failed(at: .now, schemaSuspect: false)
        #expect(link.isMigrated)
        _ = link.failed(at: .now, schemaSuspect: true)
        #expect(!link.isMigrated)
    }
}
