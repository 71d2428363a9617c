/// A problem found in a deployment file or a plugin's config schema.
///
/// Errors carry a `Code` from an open set (adding a code never breaks a `switch`), a message meant for the operator,
/// and the place it refers to. Messages never contain secret values: values that came from a secret source are
/// described, not quoted.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, an open set of names.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }

        /// The YAML (or a schema's JSON) is not well formed.
        public static let syntax = Code(rawValue: "syntax")
        /// A value has the wrong type (a string where an integer belongs, a scalar where a mapping belongs).
        public static let type = Code(rawValue: "type")
        /// A mapping has a key nobody reads.
        public static let unknownKey = Code(rawValue: "unknownKey")
        /// A required key is absent.
        public static let missingKey = Code(rawValue: "missingKey")
        /// A key, or an instance name, appears twice.
        public static let duplicateKey = Code(rawValue: "duplicateKey")
        /// `${VAR}` names a variable that is not set and has no default.
        public static let missingEnvironment = Code(rawValue: "missingEnvironment")
        /// A `${file:…}` or `${credential:…}` secret cannot be read.
        public static let secret = Code(rawValue: "secret")
        /// A plugin's config schema is malformed.
        public static let schema = Code(rawValue: "schema")
        /// `subscribe` or `route_to` names an instance that does not exist.
        public static let reference = Code(rawValue: "reference")
        /// A value has the right type but is not acceptable (out of range, not in an enum, a bad duration).
        public static let invalidValue = Code(rawValue: "invalidValue")
        /// The input exceeds a safety limit (alias expansion, nesting depth, several documents).
        public static let limit = Code(rawValue: "limit")
        /// The deployment file cannot be read.
        public static let io = Code(rawValue: "io")

        public var description: String { rawValue }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What is wrong, for the operator; never contains a secret.
    public var message: String
    /// Where it is wrong; `nil` for problems without a place (an unreadable file, a schema's own defects).
    public var mark: Mark?

    /// Creates an error.
    public init(_ code: Code, _ message: String, at mark: Mark?) {
        self.code = code
        self.message = message
        self.mark = mark
    }

    /// `path/file.yaml:12:5: error: message`, or `error: message` without a place.
    public var description: String {
        if let mark { return "\(mark): error: \(message)" }
        return "error: \(message)"
    }
}

/// Every error found in one pass over a configuration.
///
/// Loading continues past an error whenever the rest can still be checked soundly, so one run of `nightshift check`
/// shows all the problems at once, ordered by place.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errors, ordered by file, line and column (errors without a place first).
    public var errors: [ConfigError]

    /// Creates a collection, ordering the errors by place.
    public init(_ errors: [ConfigError]) {
        self.errors = errors.enumerated().sorted { lhs, rhs in
            switch (lhs.element.mark, rhs.element.mark) {
            case let (l?, r?): return l == r ? lhs.offset < rhs.offset : l < r
            case (nil, _?): return true
            case (_?, nil): return false
            case (nil, nil): return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
