/// Why a lease statement gave no answer: the elector counts it as a failed attempt and tries again.
///
/// Messages carry no connection string and no password: libpq's text is redacted before it gets here.
struct LeaseError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, an open set.
    struct Code: RawRepresentable, Sendable, Hashable {
        var rawValue: String
        /// No connection could be opened within the connect timeout.
        static let connectionFailed = Code(rawValue: "connectionFailed")
        /// The statement had no answer within its deadline; the connection was dropped.
        static let timedOut = Code(rawValue: "timedOut")
        /// The server answered with an error, or the connection broke mid-statement.
        static let statementFailed = Code(rawValue: "statementFailed")
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}
