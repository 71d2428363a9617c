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

    /// A role without CREATE on the schema (PostgreSQL 15's default for `public`) can lead once an administrator has
    /// made the table: `CREATE TABLE IF NOT EXISTS` alone would fail on the privilege check.
    @Test func aRoleThatMayNotCreateTablesLeadsWithATableMadeByHand() throws {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        _ = try Self.table("admin", key: Self.key())
        let role = "lease_user_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try psqlRows(database, "CREATE ROLE \(role) LOGIN; GRANT SELECT, INSERT, UPDATE ON nightshift_leadership TO \(role)")
        defer { _ = try? psqlRows(database, "DROP OWNED BY \(role); DROP ROLE \(role)") }
        var url = try #require(URLComponents(string: database))
        url.user = role
        url.password = nil
        let denied = try psqlRows(url.string!, "SELECT has_schema_privilege('public', 'CREATE')::text")
        #expect(denied.first?.first == "false", "the role must lack CREATE for this test to mean anything")

        let table = try Self.table("box-limited", key: Self.key(), url: url.string!)
        #expect(try table.acquire().won)
    }

    /// Every lease statement is fixed text with `$n` placeholders: deployment and node names that carry a marker and
    /// SQL of their own go through create, acquire, renew, release and a take-over, never appear in a statement's
    /// text, and come back from the database intact.
    @Test func valuesNeverBecomeSQLText() throws {
        let marker = "MARK\(UUID().uuidString.prefix(6))"
        let key = "\(Self.key())-\(marker)'; DROP TABLE nightshift_leadership; --"
        let nodeA = "box-a-\(marker)' OR '1'='1", nodeB = "box-b-\(marker)\"); --"
        var statements: [String] = []
        func observed(_ node: String) throws -> LeaseTable {
            let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
            let connection = LeaseConnection(
                url: database, applicationName: "lease-test", deadline: .milliseconds(500), secrets: [])
            connection.statementObserver = { statements.append($0) }
            let table = LeaseTable(connection: connection, deployment: key, node: node, leaseMilliseconds: 60_000)
            try table.ensureTable()
            return table
        }
        let a = try observed(nodeA), b = try observed(nodeB)
        #expect(try a.acquire() == .init(won: true, holder: nodeA, epoch: 1, previous: nil))
        #expect(try b.acquire() == .init(won: false, holder: nodeA, epoch: 1, previous: nil))
        #expect(try a.renew(epoch: 1))
        try a.release(epoch: 1)
        #expect(try b.acquire() == .init(won: true, holder: nodeB, epoch: 2, previous: nodeA))

        #expect(statements.count >= 7, "\(statements)")
        #expect(statements.allSatisfy { !$0.contains(marker) }, "\(statements.filter { $0.contains(marker) })")
        let database = try #require(LeadershipPair.databaseURL)
        // Read back by a statement of the test's own (dollar-quoted: the key holds single quotes): the row is keyed by
        // the whole deployment name and names the whole node.
        #expect(try psqlRows(database, "SELECT node, epoch FROM nightshift_leadership WHERE deployment = $k$\(key)$k$")
            == [[nodeB, "2"]])
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
            let proxyPort: Int = try #require(try proxy.counters()["proxy_port"])
            parts.port = proxyPort
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
