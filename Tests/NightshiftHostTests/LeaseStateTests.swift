import NightshiftResilience
import Testing
@testable import NightshiftHost

/// The leadership state machine on an injected clock: promotion, renewal, and fencing before the database could hand
/// the lease to another host.
@Suite struct LeaseStateTests {
    static func at(_ milliseconds: Int64) -> MonotonicInstant { MonotonicInstant(nanoseconds: milliseconds * 1_000_000) }

    /// A 10 s lease trusted until 10 s - 3 s after each confirmed request was sent.
    static func leader(epoch: Int64 = 4, sentAt: Int64 = 1_000) -> LeaseState {
        var state = LeaseState(lease: .seconds(10), margin: .seconds(3))
        _ = state.acquired(epoch: epoch, previous: "box-a", at: at(sentAt))
        return state
    }

    @Test func aStandbyAnnouncesItselfOnceAndSendsNothing() {
        var state = LeaseState(lease: .seconds(10), margin: .seconds(3))
        #expect(state.heldElsewhere(holder: "box-a", epoch: 3) == [.announceStandby(holder: "box-a", epoch: 3)])
        #expect(state.heldElsewhere(holder: "box-a", epoch: 3) == [])
        #expect(state.role == .standby)
        #expect(state.permits(at: Self.at(0)) == nil)
        #expect(state.tick(Self.at(60_000)) == [], "a standby has nothing to fence")
    }

    @Test func winningPromotesAndTrustsTheLeaseFromWhenTheRequestWasSent() {
        var state = LeaseState(lease: .seconds(10), margin: .seconds(3))
        #expect(state.acquired(epoch: 4, previous: "box-a", at: Self.at(1_000)) == [.promote(epoch: 4, previous: "box-a")])
        #expect(state.role == .leader(epoch: 4))
        #expect(state.validUntil == Self.at(8_000), "sent at 1 s + 10 s lease - 3 s margin")
        #expect(state.permits(at: Self.at(7_999)) == 4)
        #expect(state.permits(at: Self.at(8_000)) == nil, "the window closes even before a tick notices")
    }

    @Test func anUnconfirmedLeaseFencesItselfBeforeTheDatabaseCouldExpireIt() {
        var state = Self.leader()
        #expect(state.renewFailed(now: Self.at(4_000)) == [], "a failed renewal keeps the window while it lasts")
        #expect(state.permits(at: Self.at(4_000)) == 4)
        #expect(state.tick(Self.at(7_999)) == [])
        let fenced = state.tick(Self.at(8_000))
        #expect(fenced == [.fence(epoch: 4, reason: "the lease was not confirmed within 7.0 seconds")])
        // The database's expiry is at least sentAt + lease = 11 s: the host stopped 3 s before.
        #expect(state.role == .fenced(reason: "the lease was not confirmed within 7.0 seconds"))
        #expect(state.tick(Self.at(9_000)) == [], "fenced once")
    }

    @Test func aConfirmedRenewalExtendsTheWindowFromItsOwnSendTime() {
        var state = Self.leader()
        #expect(state.renewed(at: Self.at(4_000), now: Self.at(4_500)) == [])
        #expect(state.validUntil == Self.at(11_000))
        // A late answer to an older request never shortens the window.
        #expect(state.renewed(at: Self.at(3_000), now: Self.at(5_000)) == [])
        #expect(state.validUntil == Self.at(11_000))
        #expect(state.permits(at: Self.at(10_999)) == 4)
    }

    @Test func aConfirmationAfterTheWindowClosedCannotReopenIt() {
        var state = Self.leader()
        let actions = state.renewed(at: Self.at(7_500), now: Self.at(8_200))
        #expect(actions.count == 1)
        #expect(state.permits(at: Self.at(8_300)) == nil)
        if case .fenced = state.role {} else { Issue.record("expected fenced, got \(state.role)") }
    }

    @Test func aRejectedRenewalFencesAtOnce() {
        var state = Self.leader()
        #expect(state.renewRejected() == [.fence(epoch: 4, reason: "the lease is held by another host")])
        #expect(state.permits(at: Self.at(1_001)) == nil)
        #expect(state.acquired(epoch: 5, previous: nil, at: Self.at(2_000)) == [], "a fenced host never leads again")
    }

    @Test func resigningFencesALeaderAndNothingElse() {
        var standby = LeaseState(lease: .seconds(10), margin: .seconds(3))
        #expect(standby.resign() == [])
        // An acquire that was in flight when the host began stopping wins too late: the host does not lead.
        #expect(standby.acquired(epoch: 9, previous: nil, at: Self.at(1_000)) == [])
        #expect(standby.permits(at: Self.at(1_001)) == nil)
        var state = Self.leader()
        #expect(state.resign() == [.fence(epoch: 4, reason: "the host is stopping")])
    }

    @Test func suppressedOrdersAreSummarisedAtMostOnceAMinute() {
        var tally = SuppressionTally()
        let second: UInt64 = 1_000_000_000
        #expect(tally.count(at: 5 * second) == 1, "the first refusal is reported at once")
        #expect(tally.count(at: 6 * second) == nil)
        #expect(tally.count(at: 64 * second) == nil)
        #expect(tally.count(at: 65 * second) == 3, "a minute later, everything since")
        #expect(tally.count(at: 66 * second) == nil)
    }
}
