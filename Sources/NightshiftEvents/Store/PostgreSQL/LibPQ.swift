import CPostgreSQL
#if canImport(Glibc)
import Glibc
#endif

/// Opening libpq connections, shared by the event store and the leadership lease so both connect the same way.
package enum LibPQ {
    /// Why a connection could not be opened: libpq's message on one line, not yet redacted (the caller knows which
    /// values are secret).
    package struct ConnectFailure: Error {
        package let message: String
    }

    /// Connects to `url` with `settings` (libpq keywords such as `connect_timeout`) and silences server notices.
    ///
    /// The settings are listed before the URL so the URL's own settings win: libpq reads the arrays front to back.
    package static func connect(url: String, settings: [(String, String)]) throws(ConnectFailure) -> OpaquePointer {
        let keys = settings.map(\.0) + ["dbname"]
        let values = settings.map(\.1) + [url]
        let opened = CStringArray(keys).withPointers { keyPointers in
            CStringArray(values).withPointers { valuePointers in PQconnectdbParams(keyPointers, valuePointers, 1) }
        }
        guard let opened, PQstatus(opened) == CONNECTION_OK else {
            let message = opened.map(errorMessage) ?? "out of memory"
            if let opened { PQfinish(opened) }
            throw ConnectFailure(message: message)
        }
        PQsetNoticeProcessor(opened, { _, _ in }, nil)
        return opened
    }

    /// The connection's last error on one line.
    package static func errorMessage(_ connection: OpaquePointer) -> String {
        singleLine(PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown error")
    }

    /// libpq's multi-line messages on one line, for stderr and error descriptions.
    package static func singleLine(_ message: String) -> String {
        message.split(whereSeparator: { $0.isNewline || $0 == "\t" })
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Strings as a NULL-terminated C `char *[]` for the duration of a call.
package struct CStringArray {
    private let strings: [String]

    package init(_ strings: [String]) { self.strings = strings }

    package func withPointers<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
