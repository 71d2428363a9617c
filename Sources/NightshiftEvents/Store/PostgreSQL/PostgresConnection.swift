import CPostgreSQL
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection: connects on first use, runs parameterised statements, and notices when the server is gone.
///
/// A broken connection is closed and reported as `connectionLost`; the next call connects afresh, so a restarted
/// server is picked up without anyone calling a reconnect. Not thread-safe by itself; `PostgresEventStore` keeps it
/// behind a mutex.
final class PostgresConnection {
    private var handle: OpaquePointer?
    private let url: String
    private let schema: String?
    private let settings: [(String, String)]
    /// Statements already run in this session by `executeOncePerSession`; forgotten when the connection closes.
    private var sessionSetUp: Set<String> = []
    /// Names the server for errors, with any password in the URL redacted.
    let context: String
    /// Sees the text of every statement before it is sent (the `Parse`/`Query` message), so a test can prove that
    /// values only ever travel as parameters or `COPY` data. `nil` in production.
    var statementObserver: ((String) -> Void)?

    init(url: String, schema: String?, connectTimeout: Int, applicationName: String) {
        self.url = url
        self.schema = schema
        self.context = Redactor().redact(url)
        // Listed before the URL so the URL's own settings win (libpq reads the arrays front to back).
        settings = [
            ("connect_timeout", String(connectTimeout)), ("application_name", applicationName),
            ("keepalives", "1"), ("keepalives_idle", "10"), ("keepalives_interval", "5"), ("keepalives_count", "3"),
        ]
    }

    deinit {
        disconnect()
    }

    /// Closes the connection; the next statement opens a new one.
    func disconnect() {
        if let handle { PQfinish(handle) }
        handle = nil
        sessionSetUp = []
    }

    /// The live connection, connecting (and setting the search path) when there is none.
    private func connected() throws -> OpaquePointer {
        if let handle, PQstatus(handle) == CONNECTION_OK { return handle }
        disconnect()
        let opened: OpaquePointer
        do throws(LibPQ.ConnectFailure) {
            opened = try LibPQ.connect(url: url, settings: settings)
        } catch {
            throw EventStoreError(.connectionFailed, Redactor().redact(error.message), context: context)
        }
        handle = opened
        if let schema {
            try execute("SET search_path TO " + PostgresIdentifier.quoted(schema))
        }
        return opened
    }

    /// Runs statements without parameters (DDL, `BEGIN`); may hold several statements.
    func execute(_ sql: String) throws {
        let connection = try connected()
        statementObserver?(sql)
        _ = try check(PQexec(connection, sql), connection)
    }

    /// Runs `sql` (without parameters) once per session: again after a reconnect, not at every call. For session
    /// state such as temporary tables; run it outside a transaction, so a rollback cannot undo it unnoticed.
    func executeOncePerSession(_ sql: String) throws {
        _ = try connected()
        guard !sessionSetUp.contains(sql) else { return }
        try execute(sql)
        sessionSetUp.insert(sql)
    }

    /// The SQLSTATE of the last statement that failed (`23505` for a unique violation), empty when it had none.
    private(set) var lastErrorState = ""

    /// Runs `sql`, a `COPY … FROM STDIN`, sending `data` as its input; returns the rows copied.
    @discardableResult
    func copyIn(_ sql: String, _ data: [UInt8]) throws -> Int {
        let connection = try connected()
        statementObserver?(sql)
        guard let started = PQexec(connection, sql) else { _ = try check(nil, connection); return 0 }
        guard PQresultStatus(started) == PGRES_COPY_IN else { return try check(started, connection).affectedRows }
        PQclear(started)
        let chunk = 1 << 20
        let sent = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = min(chunk, buffer.count - offset)
                let pointer = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
                guard PQputCopyData(connection, pointer, Int32(count)) == 1 else { return false }
                offset += count
            }
            return PQputCopyEnd(connection, nil) == 1
        }
        if !sent { _ = PQputCopyEnd(connection, "client could not send the rows") }
        // The copy's own result, then nil; the first failure ends the reading (a lost connection is closed by it).
        var copied = 0
        while let result = PQgetResult(connection) {
            copied = try check(result, connection).affectedRows
        }
        if !sent { _ = try check(nil, connection) }
        return copied
    }

    /// Runs one statement with parameters sent separately from the SQL text.
    @discardableResult
    func run(_ sql: String, _ parameters: [EventSQL.SQLValue]) throws -> PostgresResult {
        let connection = try connected()
        let texts = parameters.map { value -> String in
            switch value {
            // PostgreSQL text cannot hold NUL; it becomes U+FFFD rather than failing the whole batch.
            case .text(let text): text.contains("\0") ? EventSQL.replacingNUL(text) : text
            case .integer(let number): String(number)
            case .timestamp(let micros): EventTime.postgresText(micros)
            }
        }
        statementObserver?(sql)
        let result = CStringArray(texts).withPointers { pointers in
            PQexecParams(connection, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
        }
        return try check(result, connection)
    }

    /// Runs `body` between `BEGIN` and `COMMIT`, rolling back if it throws while the connection is up.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if let handle, PQstatus(handle) == CONNECTION_OK { try? execute("ROLLBACK") }
            throw error
        }
    }

    private func check(_ result: OpaquePointer?, _ connection: OpaquePointer) throws -> PostgresResult {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK, let result { return PostgresResult(result) }
        let message = result.map { Self.text(PQresultErrorMessage($0)) } ?? Self.text(PQerrorMessage(connection))
        let state = result.map { Self.text(PQresultErrorField($0, Int32(UInt8(ascii: "C")))) } ?? ""
        if let result { PQclear(result) }
        lastErrorState = state
        let lost = PQstatus(connection) != CONNECTION_OK || state.hasPrefix("08") || state.hasPrefix("57P")
        if lost { disconnect() }
        let detail = Redactor().redact(LibPQ.singleLine(message)) + (state.isEmpty ? "" : " [\(state)]")
        throw EventStoreError(lost ? .connectionLost : .statementFailed, detail, context: context)
    }

    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// A result set; cleared when released.
final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    deinit { PQclear(result) }

    var rowCount: Int { Int(PQntuples(result)) }

    /// The rows a command affected (`INSERT 0 7` gives 7).
    var affectedRows: Int { Int(PostgresConnection.text(PQcmdTuples(result))) ?? 0 }

    func text(_ row: Int, _ column: Int) -> String {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return "" }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    func integer(_ row: Int, _ column: Int) -> Int64 { Int64(text(row, column)) ?? 0 }
}

/// Identifiers (schema names) checked and quoted; they are the only names ever spliced into SQL text.
enum PostgresIdentifier {
    /// Whether `name` is a plain lowercase identifier: a letter or `_`, then letters, digits, `_`; at most 63 bytes.
    static func isPlain(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63,
              (97...122).contains(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
    }

    static func quoted(_ name: String) -> String { "\"" + name + "\"" }
}
