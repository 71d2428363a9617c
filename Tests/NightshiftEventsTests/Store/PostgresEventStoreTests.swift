import Foundation
import Testing
@testable import NightshiftEvents

/// Everything that needs the PostgreSQL server, in one serialized suite: one test stops the server.
///
/// These tests read `NIGHTSHIFT_TEST_PG_URL` and fail (never skip) without it: run them through
/// `scripts/with-postgres.sh`.
@Suite(.serialized) struct PostgresTests {
    @Test func theServerIsConfigured() throws {
        _ = try PostgresServer.url()
    }

    @Test func migrationsAreIdempotent() throws {
        let url = try PostgresServer.url()
        let schema = "t_migrate_" + String(UInt32.random(in: 0 ... .max))
        try StoreContract.migrationsAreIdempotent(
            PostgresEventStore(url: url, configuration: .init(schema: schema)),
            PostgresEventStore(url: url, configuration: .init(schema: schema))
        )
    }

    @Test func valuesNeverBecomeSQLText() throws {
        let store = try PostgresServer.freshStore()
        let statements = ParameterisedSQL.Statements()
        store.observeStatements(statements.record)
        try store.migrate()
        try ParameterisedSQL.valuesNeverBecomeSQLText(store, statements: statements)
    }

    @Test func concurrentMigrationsApplyOnce() async throws {
        let url = try PostgresServer.url()
        let schema = "t_race_" + String(UInt32.random(in: 0 ... .max))
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask { try PostgresEventStore(url: url, configuration: .init(schema: schema)).migrate() }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied == [1])
    }

    @Test func insertIsIdempotent() throws {
        try StoreContract.insertIsIdempotent(PostgresServer.freshStore())
    }

    @Test func queriesAreCorrect() throws {
        try StoreContract.queriesAreCorrect(PostgresServer.freshStore())
    }

    @Test func valuesAreParameters() throws {
        try StoreContract.valuesAreParameters(PostgresServer.freshStore())
    }

    @Test func largeBatchesSpanSeveralStatementsInOneTransaction() throws {
        let store = try PostgresServer.freshStore()
        try store.migrate()
        let batch = EventFactory().sequence(2_345)
        #expect(try store.insert(batch) == 2_345)
        #expect(try store.insert(batch) == 0)
        #expect(try store.summary(since: 0) == [EventSummaryRow(
            eventType: "tick", count: 2_345, firstSeen: batch.map(\.createdAt).min()!,
            lastSeen: batch.map(\.createdAt).max()!
        )])
    }

    @Test func nulBytesAreReplacedNotRejected() throws {
        let store = try PostgresServer.freshStore()
        try store.migrate()
        try store.insert([EventFactory().make("log", message: "a\0b", fields: ["k": "x\0y"])])
        let read = try #require(try store.query(EventFilter()).first)
        #expect(read.message == "a\u{FFFD}b")
        #expect(read.fields["k"] == "x\u{FFFD}y")
    }

    @Test func anUnreachableServerIsAConnectionFailureWithoutThePassword() throws {
        let store = try PostgresEventStore(url: "postgresql://bot:very-secret-pw@127.0.0.1:1/db?connect_timeout=2")
        let error = #expect(throws: EventStoreError.self) { try store.migrate() }
        #expect(error?.code == .connectionFailed)
        #expect(error.map { !"\($0)".contains("very-secret-pw") } == true)
    }

    @Test func aSchemaNameMustBeAPlainIdentifier() {
        let error = #expect(throws: EventStoreError.self) {
            try PostgresEventStore(url: "postgresql://x", configuration: .init(schema: "a\"; DROP SCHEMA public; --"))
        }
        #expect(error?.code == .invalidArgument)
    }
}
