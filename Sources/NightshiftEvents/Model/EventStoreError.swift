/// A failure of the event log: a store that cannot be reached or refuses a statement, or a spool that cannot be used.
///
/// Messages name the store and the statement's purpose, never a password or a connection URL; database error text
/// passes through the credential patterns of `Redactor` before it lands here.
public struct EventStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, an open set of names.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }

        /// The store cannot be reached or opened.
        public static let connectionFailed = Code(rawValue: "connectionFailed")
        /// An open connection broke (server gone, socket closed); the caller should spool and retry later.
        public static let connectionLost = Code(rawValue: "connectionLost")
        /// A statement failed while the connection stayed up.
        public static let statementFailed = Code(rawValue: "statementFailed")
        /// A schema migration failed; the transaction was rolled back.
        public static let migrationFailed = Code(rawValue: "migrationFailed")
        /// The local spool file cannot be opened, written or read.
        public static let spoolFailed = Code(rawValue: "spoolFailed")
        /// Stored data does not decode (a row's fields, a spool record).
        public static let corruptData = Code(rawValue: "corruptData")
        /// An argument is unusable (a schema name that is not a plain identifier).
        public static let invalidArgument = Code(rawValue: "invalidArgument")

        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, for the operator.
    public var message: String
    /// Which store or file it concerns (`sqlite:/var/lib/nightshift/events.db`, or the database URL with any password redacted).
    public var context: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, context: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// Whether the store may work again later, so the writer should spool rather than give up.
    public var isTransient: Bool { code != .invalidArgument && code != .corruptData }

    /// `postgresql://bot@127.0.0.1:5432/bot: connectionLost: server closed the connection unexpectedly`.
    public var description: String {
        if let context { return "\(context): \(code): \(message)" }
        return "\(code): \(message)"
    }
}
