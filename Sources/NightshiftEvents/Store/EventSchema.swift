/// The event log's schema, as numbered migrations per SQL dialect.
///
/// Migrations are append-only: a released one is never edited, a change is a new version. Each store applies the
/// missing ones in order inside one transaction and records them in `schema_migrations` under the scope `events`, so
/// other parts of a deployment can keep their own versions in the same table.
enum EventSchema {
    /// The scope under which these migrations are recorded.
    static let scope = "events"

    /// One schema step.
    struct Migration: Sendable {
        var version: Int
        var description: String
        /// Statements without parameters, run in order.
        var statements: [String]
    }

    static let table = "bot_events"

    static let sqliteMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            scope TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,
            applied_at INTEGER NOT NULL, PRIMARY KEY (scope, version))
        """

    static let postgresMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            scope TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (scope, version))
        """

    /// SQLite: `created_at` in microseconds as INTEGER, `fields` as JSON text.
    static let sqlite: [Migration] = [
        Migration(version: 1, description: "create bot_events", statements: [
            """
            CREATE TABLE bot_events (
                id TEXT PRIMARY KEY NOT NULL,
                created_at INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                level TEXT NOT NULL,
                source TEXT NOT NULL,
                instance TEXT NOT NULL,
                host_instance TEXT NOT NULL,
                run_id TEXT NOT NULL,
                message TEXT NOT NULL,
                fields TEXT NOT NULL DEFAULT '{}')
            """,
            "CREATE INDEX bot_events_created_at ON bot_events (created_at)",
            "CREATE INDEX bot_events_type_created_at ON bot_events (event_type, created_at)",
        ]),
    ]

    /// PostgreSQL: `created_at` as timestamptz (microsecond resolution), `fields` as JSONB, ids compared bytewise.
    static let postgres: [Migration] = [
        Migration(version: 1, description: "create bot_events", statements: [
            """
            CREATE TABLE bot_events (
                id TEXT COLLATE "C" PRIMARY KEY,
                created_at TIMESTAMPTZ NOT NULL,
                event_type TEXT NOT NULL,
                level TEXT NOT NULL,
                source TEXT NOT NULL,
                instance TEXT NOT NULL,
                host_instance TEXT NOT NULL,
                run_id TEXT NOT NULL,
                message TEXT NOT NULL,
                fields JSONB NOT NULL DEFAULT '{}'::jsonb)
            """,
            "CREATE INDEX bot_events_created_at ON bot_events (created_at)",
            "CREATE INDEX bot_events_type_created_at ON bot_events (event_type, created_at)",
        ]),
    ]

    /// The migrations in `all` whose version is not in `applied`, in order.
    static func pending(_ all: [Migration], applied: Set<Int>) -> [Migration] {
        all.filter { !applied.contains($0.version) }.sorted { $0.version < $1.version }
    }
}
