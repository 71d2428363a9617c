import CSQLite

/// One open SQLite database: statements with bound parameters, rows read by column.
///
/// Not thread-safe by itself; `SQLiteEventStore` keeps it behind a mutex. The handle is opened without SQLite's own
/// mutex for that reason.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    /// Statements prepared once and reused, by SQL text; finalised with the connection.
    private var prepared: [String: OpaquePointer] = [:]
    let context: String

    /// SQLite's "copy the bound bytes now" destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

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

    /// Runs the statement `sql` once per row, `rows` times, with `bind` binding row `n`'s parameters; returns the rows
    /// changed in all.
    ///
    /// The statement is prepared on first use and kept, so a batch of inserts parses its SQL once per connection,
    /// not once per batch.
    func runPerRow(_ sql: String, rows: Int, bind: (Int, inout SQLiteBinder) -> Void) throws -> Int {
        let statement = try preparedStatement(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var changed = 0
        for row in 0..<rows {
            var binder = SQLiteBinder(statement: statement)
            bind(row, &binder)
            guard binder.status == SQLITE_OK else { throw failure(binder.status, lastError) }
            let status = sqlite3_step(statement)
            guard status == SQLITE_DONE else { throw failure(status, lastError) }
            changed += Int(sqlite3_changes(handle))
            sqlite3_reset(statement)
        }
        return changed
    }

    private func preparedStatement(_ sql: String) throws -> OpaquePointer? {
        if let statement = prepared[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw failure(status, lastError)
        }
        prepared[sql] = statement
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

/// Binds one row's parameters to a prepared statement, keeping the first failure.
struct SQLiteBinder {
    let statement: OpaquePointer?
    private(set) var status = SQLITE_OK

    /// SQLite's "copy the bound bytes now" destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ index: Int32, _ text: String) {
        var text = text
        keep(text.withUTF8 { bindText(index, UnsafeRawBufferPointer($0)) })
    }

    mutating func bind(_ index: Int32, _ number: Int64) {
        keep(sqlite3_bind_int64(statement, index, number))
    }

    /// Binds UTF-8 bytes as text.
    mutating func bind(_ index: Int32, utf8 bytes: [UInt8]) {
        keep(bytes.withUnsafeBytes { bindText(index, $0) })
    }

    /// Binds `bytes` as text; an empty buffer binds the empty string, never NULL.
    private func bindText(_ index: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(statement, index, "", 0, Self.transient) }
        return sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }

    private mutating func keep(_ result: Int32) {
        if status == SQLITE_OK { status = result }
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
