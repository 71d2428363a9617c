import Synchronization

/// The embedded event store: one SQLite file in WAL mode, fields as JSON text.
///
/// WAL lets `nightshift events` read while the host writes. `synchronous=NORMAL` in WAL mode keeps every committed
/// batch across a process crash (only a power loss can take the last ones, and the writer's spool covers a store that
/// is away, not that). One connection, serialised by a mutex; the writer's batches keep the lock short.
public final class SQLiteEventStore: EventStore {
    /// Options for the SQLite store.
    public struct Configuration: Sendable {
        /// How long a statement waits for another process's lock before failing.
        public var busyTimeout: Duration = .seconds(5)

        /// Creates a configuration.
        public init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }
    }

    /// Rows per prepared INSERT statement (the rest of a batch goes one row at a time).
    static let rowsPerStatement = 32

    private let connection: Mutex<SQLiteConnection>
    private let sql = EventSQL(dialect: .sqlite)

    /// Opens (creating if needed) the database at `path` and switches it to WAL.
    ///
    /// - Throws: `EventStoreError` with code `connectionFailed` when the file cannot be opened.
    public init(path: String, configuration: Configuration = Configuration()) throws {
        let opened = try SQLiteConnection(path: path, busyTimeout: configuration.busyTimeout)
        try opened.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
        connection = Mutex(opened)
    }

    @discardableResult
    public func migrate() throws -> [Int] {
        try connection.withLock { connection in
            do {
                return try connection.transaction {
                    try connection.execute(EventSchema.sqliteMigrationsTable)
                    var applied = Set<Int>()
                    try connection.run(
                        "SELECT version FROM schema_migrations WHERE scope = ?", [.text(EventSchema.scope)]
                    ) { applied.insert(Int($0.integer(0))) }
                    let pending = EventSchema.pending(EventSchema.sqlite, applied: applied)
                    for migration in pending {
                        for statement in migration.statements { try connection.execute(statement) }
                        try connection.run(
                            "INSERT INTO schema_migrations (scope, version, description, applied_at) VALUES (?, ?, ?, ?)",
                            [.text(EventSchema.scope), .integer(Int64(migration.version)),
                             .text(migration.description), .integer(EventTime.nowMicros())]
                        )
                    }
                    return pending.map(\.version)
                }
            } catch let error as EventStoreError where error.code == .statementFailed {
                throw EventStoreError(.migrationFailed, error.message, context: error.context)
            }
        }
    }

    @discardableResult
    public func insert(_ batch: [EventRecord]) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        var rows = SQLiteRowBatch(parametersPerRow: 10, expectedRows: batch.count)
        for event in batch {
            rows.append(event.id)
            rows.append(event.createdAt)
            rows.append(event.eventType)
            rows.append(event.level.rawValue)
            rows.append(event.source)
            rows.append(event.instance)
            rows.append(event.hostInstance)
            rows.append(event.runId)
            rows.append(event.message)
            rows.appendText { JSONBytes.appendObject(event.fields, to: &$0) }
        }
        return try connection.withLock { connection in
            try connection.transaction {
                try connection.run(
                    "insert", EventSQL.sqliteInsert(rows:), rowsOf: rows, rowsPerStatement: Self.rowsPerStatement)
            }
        }
    }

    public func query(_ filter: EventFilter) throws -> [EventRecord] {
        try events(sql.query(filter))
    }

    public func summary(since: Int64, until: Int64?) throws -> [EventSummaryRow] {
        let statement = sql.summary(since: since, until: until)
        return try connection.withLock { connection in
            var rows: [EventSummaryRow] = []
            try connection.run(statement.sql, statement.parameters) { row in
                rows.append(EventSummaryRow(
                    eventType: row.text(0), count: Int(row.integer(1)),
                    firstSeen: row.integer(2), lastSeen: row.integer(3)
                ))
            }
            return rows
        }
    }

    /// Hands the text of every statement compiled from now on to `observer` (tests: values must never be in it).
    func observeStatements(_ observer: @escaping @Sendable (String) -> Void) {
        connection.withLock { $0.statementObserver = observer }
    }

    public func tail(after id: String?, limit: Int) throws -> [EventRecord] {
        try events(sql.tail(after: id, limit: limit))
    }

    private func events(_ statement: EventSQL.Statement) throws -> [EventRecord] {
        try connection.withLock { connection in
            var events: [EventRecord] = []
            try connection.run(statement.sql, statement.parameters) { row in
                guard let level = EventLevel(rawValue: row.text(3)), let fields = EventFields(jsonText: row.text(9))
                else {
                    throw EventStoreError(.corruptData, "event \(row.text(0)) does not decode", context: connection.context)
                }
                events.append(EventRecord(
                    id: row.text(0), createdAt: row.integer(1), eventType: row.text(2), level: level,
                    source: row.text(4), instance: row.text(5), hostInstance: row.text(6), runId: row.text(7),
                    message: row.text(8), fields: fields
                ))
            }
            return events
        }
    }
}
