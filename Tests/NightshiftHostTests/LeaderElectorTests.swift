import Foundation
import NightshiftConfig
import Testing
@testable import NightshiftHost

/// The elector's stop against a real PostgreSQL: after a clean drain the lease is released and the next host takes it
/// at once; with an order possibly still on its way to a venue it is kept, and expires only by the database clock.
///
/// Needs `NIGHTSHIFT_TEST_PG_URL` (run through `scripts/with-postgres.sh`); each test uses its own lease key.
@Suite struct LeaderElectorTests {
    static func elector(_ node: String, key: String, log: RecordedEvents) throws -> LeaderElector {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        var settings = LeadershipSettings(database: database, deployment: key, node: node)
        settings.lease = .seconds(6)
        settings.renewEvery = .seconds(1)
        return LeaderElector(settings: settings, secrets: [], log: log, perform: { _ in })
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }

    @Test(arguments: [true, false]) func theLeaseIsReleasedOnlyAfterTheOrdersDrained(drained: Bool) throws {
        let key = LeaseTableTests.key(), log = RecordedEvents()
        let leader = try Self.elector("box-a", key: key, log: log)
        leader.start()
        var stopped = false
        defer { if !stopped { leader.stop(release: true) } }
        #expect(Self.eventually(10) { leader.permits() != nil }, "\(log.all.map(\.type))")
        let epoch = try #require(leader.permits())

        leader.stop(release: drained)
        stopped = true
        #expect(leader.permits() == nil, "a stopped elector admits no order")
        let next = try LeaseTableTests.table("box-b", key: key)
        if drained {
            #expect(log.rows(ofType: "leadership_released").map { $0.int("epoch") } == [epoch])
            #expect(log.rows(ofType: "leadership_not_released").isEmpty)
            #expect(try next.acquire() == .init(won: true, holder: "box-b", epoch: epoch + 1, previous: "box-a"))
        } else {
            let kept = log.rows(ofType: "leadership_not_released")
            #expect(kept.map { $0.int("epoch") } == [epoch])
            #expect(kept.first?.message.contains("expires by itself within 6s") == true, "\(kept.map(\.message))")
            #expect(log.rows(ofType: "leadership_released").isEmpty)
            #expect(try next.acquire().won == false, "the lease still holds: an order may be on its way")
            // The database expires it within the lease (6 s from the last renewal); then the next host leads.
            var attempt = try next.acquire()
            #expect(try Self.eventually(12) {
                attempt = try next.acquire()
                return attempt.won
            })
            #expect(attempt == .init(won: true, holder: "box-b", epoch: epoch + 1, previous: "box-a"))
        }
    }
}
