import Foundation
import Testing
@testable import NightshiftEvents

@Suite struct SQLiteEventStoreTests {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("events.db")
    }

    @Test func migrationsAreIdempotent() throws {
        try StoreContract.migrationsAreIdempotent(SQLiteEventStore(path: path), SQLiteEventStore(path: path))
    }

    @Test func insertIsIdempotent() throws {
        try StoreContract.insertIsIdempotent(SQLiteEventStore(path: path))
    }

    @Test func valuesNeverBecomeSQLText() throws {
        let store = try SQLiteEventStore(path: path)
        let statements = ParameterisedSQL.Statements()
        store.observeStatements(statements.record)
        try store.migrate()
        try ParameterisedSQL.valuesNeverBecomeSQLText(store, statements: statements)
    }

    @Test func queriesAreCorrect() throws {
        try StoreContract.queriesAreCorrect(SQLiteEventStore(path: path))
    }

    @Test func valuesAreParameters() throws {
        try StoreContract.valuesAreParameters(SQLiteEventStore(path: path))
    }

    @Test func fieldOrderAndNULBytesSurvive() throws {
        let store = try SQLiteEventStore(path: path)
        try store.migrate()
        let event = EventFactory().make("log", message: "a\0b", fields: ["z": 1, "a": "x\0y", "m": 2])
        try store.insert([event])
        #expect(try store.query(EventFilter()) == [event])
    }

    @Test func theDatabaseIsInWALMode() throws {
        let store = try SQLiteEventStore(path: path)
        try store.migrate()
        try store.insert(EventFactory().sequence(1))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anUnopenableFileIsAConnectionFailure() {
        let error = #expect(throws: EventStoreError.self) {
            try SQLiteEventStore(path: directory.file("missing-dir/events.db"))
        }
        #expect(error?.code == .connectionFailed)
    }
}
