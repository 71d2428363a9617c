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
    /// Handed the text of every statement before it is sent (tests: no value may ever be in it).
    var statementObserver: ((String) -> Void)?

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
        statementObserver?(sql)
        let sent = CStringArray(parameters).withPointers { pointers in
            PQsendQueryParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(.statementFailed, LibPQ.errorMessage(connection)) }
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
                if ready > 0 && PQconsumeInput(connection) == 0 {
                    throw failure(.statementFailed, LibPQ.errorMessage(connection))
                }
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
        let opened: OpaquePointer
        do throws(LibPQ.ConnectFailure) {
            opened = try LibPQ.connect(url: url, settings: settings)
        } catch {
            throw LeaseError(.connectionFailed, redactor.redact(error.message))
        }
        handle = opened
        return opened
    }

    /// Drops the connection (its state is unknown after a failure) and describes the failure without secrets.
    private func failure(_ code: LeaseError.Code, _ message: String) -> LeaseError {
        disconnect()
        return LeaseError(code, redactor.redact(LibPQ.singleLine(message)))
    }

    private static func rows(_ result: OpaquePointer) -> [[String?]] {
        (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }
}
