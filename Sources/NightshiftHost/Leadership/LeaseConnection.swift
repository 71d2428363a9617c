import CPostgreSQL
import Foundation
import Glibc
import NightshiftEvents

/// One libpq connection for the lease, whose every statement has a deadline measured on this side.
///
/// A blackholed peer answers nothing and TCP keepalives notice it only after many seconds, so statements are sent
/// asynchronously and awaited with `poll`; at the deadline the connection is dropped and the next call opens a new
/// one. Parameters always travel apart from the SQL text. Used by one thread only (the elector's).
final class LeaseConnection {
    private var handle: OpaquePointer?
    private let url: String
    private let settings: [(String, String)]
    private let deadline: Duration
    private let redactor: Redactor

    /// - Parameters:
    ///   - deadline: the longest a statement (or a connection attempt, rounded up to whole seconds) may take.
    init(url: String, applicationName: String, deadline: Duration, secrets: Set<String>) {
        self.url = url
        self.deadline = deadline
        redactor = Redactor(secrets: secrets)
        let milliseconds = max(1, deadline.nanosecondsSaturated / 1_000_000)
        // Listed before the URL so the URL's own settings win (libpq reads the arrays front to back).
        settings = [
            ("connect_timeout", String(max(2, (milliseconds + 999) / 1000))), ("application_name", applicationName),
            ("keepalives", "1"), ("keepalives_idle", "2"), ("keepalives_interval", "1"), ("keepalives_count", "2"),
            ("tcp_user_timeout", String(milliseconds)), ("options", "-c statement_timeout=\(milliseconds)"),
        ]
    }

    deinit { disconnect() }

    /// Closes the connection; the next statement opens a new one.
    func disconnect() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Runs one statement with text parameters and returns its rows as text (nil for SQL NULL).
    func query(_ sql: String, _ parameters: [String]) throws(LeaseError) -> [[String?]] {
        let connection = try connected()
        let sent = CStringArray(parameters).withPointers { pointers in
            PQsendQueryParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(.statementFailed, errorText(connection)) }
        let end = ContinuousClock.now + deadline
        var rows: [[String?]] = []
        var problem: String?
        while true {
            while PQisBusy(connection) == 1 {
                let left = ContinuousClock.now.duration(to: end)
                guard left > .zero else { throw failure(.timedOut, "no answer within \(deadline)") }
                var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(max(1, left.nanosecondsSaturated / 1_000_000)))
                if ready < 0 && errno != EINTR { throw failure(.statementFailed, "poll failed: errno \(errno)") }
                if ready > 0 && PQconsumeInput(connection) == 0 { throw failure(.statementFailed, errorText(connection)) }
            }
            guard let result = PQgetResult(connection) else { break }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_TUPLES_OK {
                rows += Self.rows(result)
            } else if status != PGRES_COMMAND_OK {
                problem = String(cString: PQresultErrorMessage(result))
            }
        }
        if let problem { throw failure(.statementFailed, problem) }
        return rows
    }

    // MARK: - Connection

    private func connected() throws(LeaseError) -> OpaquePointer {
        if let handle, PQstatus(handle) == CONNECTION_OK { return handle }
        disconnect()
        let keys = settings.map(\.0) + ["dbname"]
        let values = settings.map(\.1) + [url]
        let opened = CStringArray(keys).withPointers { keyPointers in
            CStringArray(values).withPointers { valuePointers in PQconnectdbParams(keyPointers, valuePointers, 1) }
        }
        guard let opened, PQstatus(opened) == CONNECTION_OK else {
            let message = opened.map(errorText) ?? "out of memory"
            if let opened { PQfinish(opened) }
            throw LeaseError(.connectionFailed, redactor.redact(message))
        }
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        handle = opened
        return opened
    }

    /// Drops the connection (its state is unknown after a failure) and describes the failure without secrets.
    private func failure(_ code: LeaseError.Code, _ message: String) -> LeaseError {
        disconnect()
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return LeaseError(code, redactor.redact(line))
    }

    private func errorText(_ connection: OpaquePointer) -> String {
        PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown error"
    }

    private static func rows(_ result: OpaquePointer) -> [[String?]] {
        (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }
}

/// Strings as a NULL-terminated C `char *[]` for the duration of a call.
private struct CStringArray {
    let strings: [String]

    init(_ strings: [String]) { self.strings = strings }

    func withPointers<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
