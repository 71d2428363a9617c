/// The event log's queries, written once for both dialects with every value as a bound parameter.
///
/// SQL text is assembled only from fixed fragments and placeholder numbers; values (types, names, times, limits)
/// travel separately as `SQLValue`s. The dialect decides the placeholder spelling (`?` or `$n`) and how times are
/// stored (microsecond INTEGER in SQLite, timestamptz in PostgreSQL).
struct EventSQL {
    /// The SQL flavour.
    enum Dialect { case sqlite, postgres }

    /// A bound parameter.
    enum SQLValue: Sendable, Hashable {
        case text(String)
        case integer(Int64)
        /// An instant in microseconds since the epoch.
        case timestamp(Int64)
    }

    /// Statement text plus its parameters, in placeholder order.
    struct Statement {
        var sql: String
        var parameters: [SQLValue]
    }

    let dialect: Dialect

    // MARK: - Columns

    /// The columns every event query selects, in `EventRecord` order.
    var eventColumns: String {
        switch dialect {
        case .sqlite:
            "id, created_at, event_type, level, source, instance, host_instance, run_id, message, fields"
        case .postgres:
            "id, \(micros("created_at")), event_type, level, source, instance, host_instance, run_id, message, "
                + "fields::text"
        }
    }

    /// A timestamp column as microseconds since the epoch.
    func micros(_ column: String) -> String {
        switch dialect {
        case .sqlite: column
        case .postgres: "(extract(epoch from \(column)) * 1000000)::bigint"
        }
    }

    // MARK: - Statements

    /// SQLite's insert of `rows` rows; prepared once per connection and size, and reused for every batch.
    static func sqliteInsert(rows: Int) -> String {
        "INSERT INTO \(EventSchema.table) "
            + "(id, created_at, event_type, level, source, instance, host_instance, run_id, message, fields) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            + " ON CONFLICT (id) DO NOTHING"
    }

    /// The events matching `filter`.
    func query(_ filter: EventFilter) -> Statement {
        var builder = Builder(dialect: dialect)
        var conditions: [String] = []
        if !filter.eventTypes.isEmpty {
            conditions.append("event_type IN (" + filter.eventTypes.map { builder.bind(.text($0)) }
                .joined(separator: ", ") + ")")
        }
        if let source = filter.source { conditions.append("source = " + builder.bind(.text(source))) }
        if let instance = filter.instance { conditions.append("instance = " + builder.bind(.text(instance))) }
        if let level = filter.minimumLevel {
            conditions.append("level IN (" + level.atLeastAsSevere.map { builder.bind(.text($0.rawValue)) }
                .joined(separator: ", ") + ")")
        }
        if let runId = filter.runId { conditions.append("run_id = " + builder.bind(.text(runId))) }
        if let since = filter.since { conditions.append("created_at >= " + builder.bind(.timestamp(since))) }
        if let until = filter.until { conditions.append("created_at < " + builder.bind(.timestamp(until))) }
        let direction = filter.newestFirst ? "DESC" : "ASC"
        var sql = "SELECT \(eventColumns) FROM \(EventSchema.table)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY created_at \(direction), id \(direction) LIMIT " + builder.bind(.integer(Int64(filter.limit)))
        return Statement(sql: sql, parameters: builder.parameters)
    }

    /// Count, first and last time per event type in `[since, until)`.
    func summary(since: Int64, until: Int64?) -> Statement {
        var builder = Builder(dialect: dialect)
        var sql = "SELECT event_type, count(*), \(micros("min(created_at)")), \(micros("max(created_at)")) "
            + "FROM \(EventSchema.table) WHERE created_at >= " + builder.bind(.timestamp(since))
        if let until { sql += " AND created_at < " + builder.bind(.timestamp(until)) }
        sql += " GROUP BY event_type ORDER BY count(*) DESC, event_type ASC"
        return Statement(sql: sql, parameters: builder.parameters)
    }

    /// Events after `id` in id order; the latest ones when `id` is nil.
    func tail(after id: String?, limit: Int) -> Statement {
        var builder = Builder(dialect: dialect)
        let table = EventSchema.table
        if let id {
            let sql = "SELECT \(eventColumns) FROM \(table) WHERE id > " + builder.bind(.text(id))
                + " ORDER BY id ASC LIMIT " + builder.bind(.integer(Int64(limit)))
            return Statement(sql: sql, parameters: builder.parameters)
        }
        let sql = "SELECT * FROM (SELECT \(eventColumns) FROM \(table) ORDER BY id DESC LIMIT "
            + builder.bind(.integer(Int64(limit))) + ") AS latest ORDER BY 1 ASC"
        return Statement(sql: sql, parameters: builder.parameters)
    }

    /// PostgreSQL text cannot hold U+0000; it becomes U+FFFD.
    static func replacingNUL(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }

    // MARK: - Placeholders

    /// Collects parameters and spells their placeholders.
    private struct Builder {
        let dialect: Dialect
        var parameters: [SQLValue] = []

        mutating func bind(_ value: SQLValue) -> String {
            parameters.append(value)
            switch dialect {
            case .sqlite: return "?"
            case .postgres:
                switch value {
                case .text: return "$\(parameters.count)"
                case .integer: return "$\(parameters.count)::bigint"
                case .timestamp: return "$\(parameters.count)::timestamptz"
                }
            }
        }
    }
}
