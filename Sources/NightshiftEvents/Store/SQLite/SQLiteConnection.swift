import CSQLite

/// One open SQLite database: statements with bound parameters, rows read by column.
///
/// Not thread-safe by itself; `SQLiteEventStore` keeps it behind a mutex. The handle is opened without SQLite's own
/// mutex for that reason.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    /// Statements prepared once and reused, by name and row count; finalised with the connection.
    private var prepared: [PreparedKey: OpaquePointer] = [:]

    private struct PreparedKey: Hashable {
        var name: String
        var rows: Int
    }
    let context: String
    /// Sees the text of every statement SQLite compiles, so a test can prove that values only ever travel as bound
    /// parameters. `nil` in production.
    var statementObserver: ((String) -> Void)?

    /// SQLite's "copy the bound bytes now" destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// SQLite's "the bytes stay valid while bound" destructor.
    private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)

    init(path: String, busyTimeout: Duration) throws {
        context = "sqlite:\(path)"
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        handle = opened
        guard status == SQLITE_OK else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(opened)
            handle = nil
            throw EventStoreError(.connectionFailed, message, context: context)
        }
        let (seconds, attoseconds) = busyTimeout.components
        sqlite3_busy_timeout(handle, Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs statements without parameters or results (`PRAGMA`, DDL, `BEGIN`).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        statementObserver?(sql)
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard status == SQLITE_OK else {
            throw failure(status, message.map { String(cString: $0) } ?? lastError)
        }
    }

    /// Runs one statement with `parameters`, calling `row` for each result row; returns the rows it changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [EventSQL.SQLValue], row: (SQLiteRow) throws -> Void = { _ in }) throws -> Int {
        var statement: OpaquePointer?
        statementObserver?(sql)
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard prepared == SQLITE_OK else { throw failure(prepared, lastError) }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let bound = switch value {
            case .text(let text): sqlite3_bind_text(statement, index, text, Int32(text.utf8.count), Self.transient)
            case .integer(let number), .timestamp(let number): sqlite3_bind_int64(statement, index, number)
            }
            guard bound == SQLITE_OK else { throw failure(bound, lastError) }
        }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw failure(status, lastError) }
            try row(SQLiteRow(statement: statement))
        }
        return Int(sqlite3_changes(handle))
    }

    /// Inserts the rows of `batch` with prepared multi-row statements (`sql(n)` gives the text for `n` rows, kept under
    /// `name`); returns the rows changed in all.
    ///
    /// Each statement takes the largest power of two of rows, up to `rowsPerStatement`, that the rest of the batch
    /// fills, so a connection holds a handful of statements (32, 16, …, 1 rows) whatever the batch sizes.
    ///
    /// Statements are prepared on first use and kept, so a batch parses no SQL once the connection has seen its sizes.
    /// The text is bound in place from the batch's one buffer (`SQLITE_STATIC`), without a copy per value; the
    /// bindings are cleared before the buffer goes away.
    func run(
        _ name: String, _ sql: (Int) -> String, rowsOf batch: SQLiteRowBatch, rowsPerStatement: Int
    ) throws -> Int {
        let width = batch.parametersPerRow
        return try batch.bytes.withUnsafeBytes { bytes in
            var changed = 0
            var row = 0
            while row < batch.rowCount {
                var rows = 1
                while rows * 2 <= min(rowsPerStatement, batch.rowCount - row) { rows *= 2 }
                let statement = try preparedStatement(PreparedKey(name: name, rows: rows)) { sql(rows) }
                defer {
                    sqlite3_reset(statement)
                    sqlite3_clear_bindings(statement)
                }
                for (offset, parameter) in batch.parameters[row * width..<(row + rows) * width].enumerated() {
                    let index = Int32(offset + 1)
                    let status = switch parameter {
                    case .integer(let number): sqlite3_bind_int64(statement, index, number)
                    case .text(let start, let count):
                        count == 0 ? sqlite3_bind_text(statement, index, "", 0, Self.transient)
                            : sqlite3_bind_text(
                                statement, index, bytes.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self),
                                Int32(count), Self.static)
                    }
                    guard status == SQLITE_OK else { throw failure(status, lastError) }
                }
                let status = sqlite3_step(statement)
                guard status == SQLITE_DONE else { throw failure(status, lastError) }
                changed += Int(sqlite3_changes(handle))
                row += rows
            }
            return changed
        }
    }

    private func preparedStatement(_ key: PreparedKey, _ sql: () -> String) throws -> OpaquePointer? {
        if let statement = prepared[key] { return statement }
        var statement: OpaquePointer?
        let text = sql()
        statementObserver?(text)
        let status = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw failure(status, lastError)
        }
        prepared[key] = statement
        return statement
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    private func failure(_ status: Int32, _ message: String) -> EventStoreError {
        let primary = status & 0xFF
        let code: EventStoreError.Code =
            [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY].contains(primary)
            ? .connectionFailed : .statementFailed
        return EventStoreError(code, message, context: context)
    }
}

/// The current row of a stepping statement.
struct SQLiteRow {
    let statement: OpaquePointer?

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }
}
