import Foundation
import NightshiftTestSupport
import Testing
@testable import NightshiftHost

/// The lease statements against a real PostgreSQL: who may take the lease, when the epoch moves, and that a silent
/// server cannot hold a statement past its deadline.
///
/// Needs `NIGHTSHIFT_TEST_PG_URL` (run through `scripts/with-postgres.sh`); each test uses its own lease key.
@Suite struct LeaseTableTests {
    static func table(_ node: String, key: String, url: String? = nil, leaseMilliseconds: Int64 = 60_000) throws
        -> LeaseTable
    {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        let connection = LeaseConnection(
            url: url ?? database, applicationName: "lease-test", deadline: .milliseconds(500), secrets: [])
        let table = LeaseTable(connection: connection, deployment: key, node: node, leaseMilliseconds: leaseMilliseconds)
        try table.ensureTable()
        return table
    }

    static func key() -> String { "lease-table-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test func aLiveLeaseIsNeverTakenNotEvenUnderTheSameNodeName() throws {
        let key = Self.key()
        let a = try Self.table("box-a", key: key), b = try Self.table("box-b", key: key)
        let again = try Self.table("box-a", key: key)
        #expect(try a.acquire() == .init(won: true, holder: "box-a", epoch: 1, previous: nil))
        #expect(try b.acquire() == .init(won: false, holder: "box-a", epoch: 1, previous: nil))
        #expect(try again.acquire() == .init(won: false, holder: "box-a", epoch: 1, previous: nil),
                "a second process with the same node name must not share the lease")
        #expect(try a.renew(epoch: 1))
        #expect(try !b.renew(epoch: 1), "only the holder renews")
        #expect(try !a.renew(epoch: 2), "only under its own epoch")
    }

    @Test func anExpiredLeaseGoesToTheNextHostUnderTheNextEpoch() throws {
        let key = Self.key()
        let a = try Self.table("box-a", key: key, leaseMilliseconds: 300)
        let b = try Self.table("box-b", key: key, leaseMilliseconds: 300)
        #expect(try a.acquire().won)
        var attempt = try b.acquire()
        while !attempt.won {
            Thread.sleep(forTimeInterval: 0.1)
            attempt = try b.acquire()
        }
        #expect(attempt == .init(won: true, holder: "box-b", epoch: 2, previous: "box-a"))
        #expect(try !a.renew(epoch: 1), "the old holder's renewal finds the lease gone and must fence")
    }

    @Test func aReleasedLeaseIsTakenAtOnce() throws {
        let key = Self.key()
        let a = try Self.table("box-a", key: key), b = try Self.table("box-b", key: key)
        #expect(try a.acquire().won)
        try b.release(epoch: 1)
        #expect(try !b.acquire().won, "releasing someone else's lease does nothing")
        try a.release(epoch: 1)
        #expect(try b.acquire() == .init(won: true, holder: "box-b", epoch: 2, previous: "box-a"))
    }

    @Test func aSilentServerFailsTheStatementAtItsDeadline() throws {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        let port = try #require(URLComponents(string: database)?.port)
        try withScript("peers/tcp_proxy.py", arguments: ["--target-port", "\(port)"]) { proxy in
            var parts = try #require(URLComponents(string: database))
            parts.port = try #require(try proxy.counters()["proxy_port"])
            let table = try Self.table("box-a", key: Self.key(), url: parts.string)
            #expect(try table.acquire().won)
            _ = try proxy.request("POST", "/_sim/blackhole")
            #expect {
                _ = try table.renew(epoch: 1)
            } throws: { ($0 as? LeaseError)?.code == .timedOut }
            #expect {
                _ = try table.renew(epoch: 1)
            } throws: { ($0 as? LeaseError)?.code == .connectionFailed }
        }
    }
}
