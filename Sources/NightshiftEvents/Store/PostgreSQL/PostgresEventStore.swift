import Synchronization

/// The production event store: table `bot_events` in PostgreSQL through libpq, fields as JSONB.
///
/// Connects lazily, so a host can start while the database is away (its writer spools meanwhile). A batch is one
/// `COPY` of all its rows into `bot_events` in one transaction; if an id in it is stored already, the transaction is
/// rolled back and the batch goes through a staging table and `INSERT … ON CONFLICT (id) DO NOTHING` instead (see
/// `PostgresCopyRows`). Values travel as `COPY` data or bound parameters, never as SQL text.
/// A broken connection surfaces as `EventStoreError.connectionLost` and the next call reconnects.
public final class PostgresEventStore: EventStore {
    /// Options for the PostgreSQL store.
    public struct Configuration: Sendable {
        /// A schema to keep the tables in (created by `migrate()`); `nil` uses the server's default search path.
        /// Must be a plain lowercase identifier.
        public var schema: String?
        /// Seconds to wait for a connection (a `connect_timeout` in the URL wins).
        public var connectTimeout: Int = 5
        /// The `application_name` the server shows for this connection.
        public var applicationName = "nightshift"

        /// Creates a configuration.
        public init(schema: String? = nil, connectTimeout: Int = 5, applicationName: String = "nightshift") {
            self.schema = schema
            self.connectTimeout = connectTimeout
            self.applicationName = applicationName
        }
    }

    /// PostgreSQL's SQLSTATE for a unique violation: a copied id is stored already.
    static let uniqueViolation = "23505"
    /// Serialises concurrent migrations from several hosts (`pg_advisory_xact_lock` key).
    static let migrationLockKey: Int64 = 0x6E_69_67_68_74_65_76

    private let connection: Mutex<PostgresConnection>
    private let schema: String?
    private let sql = EventSQL(dialect: .postgres)

    /// Creates a store for the database at `url` (`postgresql://user@host:port/db`); does not connect yet.
    ///
    /// - Throws: `EventStoreError` with code `invalidArgument` when `configuration.schema` is not a plain identifier.
    public init(url: String, configuration: Configuration = Configuration()) throws {
        if let schema = configuration.schema, !PostgresIdentifier.isPlain(schema) {
            throw EventStoreError(.invalidArgument, "schema name must be a plain lowercase identifier")
        }
        schema = configuration.schema
        connection = Mutex(PostgresConnection(
            url: url, schema: configuration.schema, connectTimeout: configuration.connectTimeout,
            applicationName: configuration.applicationName
        ))
    }

    @discardableResult
    public func migrate() throws -> [Int] {
        try connection.withLock { connection in
            do {
                return try connection.transaction {
                    try connection.run("SELECT pg_advisory_xact_lock($1::bigint)", [.integer(Self.migrationLockKey)])
                    if let schema { try connection.execute("CREATE SCHEMA IF NOT EXISTS " + PostgresIdentifier.quoted(schema)) }
                    try connection.execute(EventSchema.postgresMigrationsTable)
                    let rows = try connection.run(
                        "SELECT version FROM schema_migrations WHERE scope = $1", [.text(EventSchema.scope)]
                    )
                    let applied = Set((0..<rows.rowCount).map { Int(rows.integer($0, 0)) })
                    let pending = EventSchema.pending(EventSchema.postgres, applied: applied)
                    for migration in pending {
                        for statement in migration.statements { try connection.execute(statement) }
                        try connection.run(
                            "INSERT INTO schema_migrations (scope, version, description) VALUES ($1, $2::integer, $3)",
                            [.text(EventSchema.scope), .integer(Int64(migration.version)), .text(migration.description)]
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
        let rows = PostgresCopyRows(batch)
        return try connection.withLock { connection in
            do {
                return try connection.transaction { try connection.copyIn(PostgresCopyRows.copy, rows.bytes) }
            } catch let error as EventStoreError
                where error.code == .statementFailed && connection.lastErrorState == Self.uniqueViolation {
                // Some ids are stored already: stage the batch and move on only the new rows.
                try connection.executeOncePerSession(PostgresCopyRows.createStagingTable)
                return try connection.transaction {
                    try connection.copyIn(PostgresCopyRows.copyToStaging, rows.bytes)
                    return try connection.run(PostgresCopyRows.insertFromStaging, []).affectedRows
                }
            }
        }
    }

    public func query(_ filter: EventFilter) throws -> [EventRecord] {
        try events(sql.query(filter))
    }

    public func summary(since: Int64, until: Int64?) throws -> [EventSummaryRow] {
        let statement = sql.summary(since: since, until: until)
        let result = try connection.withLock { try $0.run(statement.sql, statement.parameters) }
        return (0..<result.rowCount).map { row in
            EventSummaryRow(
                eventType: result.text(row, 0), count: Int(result.integer(row, 1)),
                firstSeen: result.integer(row, 2), lastSeen: result.integer(row, 3)
            )
        }
    }

    public func tail(after id: String?, limit: Int) throws -> [EventRecord] {
        try events(sql.tail(after: id, limit: limit))
    }

    /// Closes the connection now; the next call reconnects.
    /// Hands the text of every statement from now on to `observer` (tests: values must never be in it).
    func observeStatements(_ observer: @escaping @Sendable (String) -> Void) {
        connection.withLock { $0.statementObserver = observer }
    }

    public func disconnect() {
        connection.withLock { $0.disconnect() }
    }

    private func events(_ statement: EventSQL.Statement) throws -> [EventRecord] {
        try connection.withLock { connection in
            let result = try connection.run(statement.sql, statement.parameters)
            return try (0..<result.rowCount).map { row in
                guard let level = EventLevel(rawValue: result.text(row, 3)),
                      let fields = EventFields(jsonText: result.text(row, 9))
                else {
                    throw EventStoreError(
                        .corruptData, "event \(result.text(row, 0)) does not decode", context: connection.context
                    )
                }
                return EventRecord(
                    id: result.text(row, 0), createdAt: result.integer(row, 1), eventType: result.text(row, 2),
                    level: level, source: result.text(row, 4), instance: result.text(row, 5),
                    hostInstance: result.text(row, 6), runId: result.text(row, 7), message: result.text(row, 8),
                    fields: fields
                )
            }
        }
    }
}
