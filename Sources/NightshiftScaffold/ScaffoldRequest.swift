/// What `nightshift plugin new` is asked to create: a named plugin of one kind, in one language, against one SDK.
public struct ScaffoldRequest: Sendable {
    /// The capability the generated plugin adopts.
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Consumes events and submits orders.
        case strategy
        /// A scheduled (poll) data source: describes HTTP requests, parses responses, emits events.
        case source
        /// Executes orders the host routes to it.
        case broker

        public var description: String { rawValue }

        /// Parses a command-line value.
        ///
        /// - Throws: ``ScaffoldError`` listing the kinds there are.
        public init(parsing text: String) throws(ScaffoldError) {
            guard let kind = Kind(rawValue: text) else {
                let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ScaffoldError(.invalidChoice, "unknown plugin kind '\(text)'; expected one of \(known)")
            }
            self = kind
        }
    }

    /// The language the plugin is written in.
    public enum Language: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A Swift package depending on the SDK (`NightshiftKit`) by path.
        case swift
        /// One C file against `nightshift_plugin.h`, a Makefile and a C test program.
        case c

        public var description: String { rawValue }

        /// Parses a command-line value.
        ///
        /// - Throws: ``ScaffoldError`` listing the languages there are.
        public init(parsing text: String) throws(ScaffoldError) {
            guard let language = Language(rawValue: text) else {
                let known = Language.allCases.map(\.rawValue).joined(separator: ", ")
                throw ScaffoldError(.invalidChoice, "unknown language '\(text)'; expected one of \(known)")
            }
            self = language
        }
    }

    public var name: PluginName
    public var kind: Kind
    public var language: Language
    /// The Nightshift checkout the generated package builds against.
    public var sdk: SDKLocation

    public init(name: PluginName, kind: Kind, language: Language = .swift, sdk: SDKLocation) {
        self.name = name
        self.kind = kind
        self.language = language
        self.sdk = sdk
    }
}

/// One file of a generated package: its path relative to the package root and its text.
public struct ScaffoldFile: Sendable, Hashable {
    public var path: String
    public var contents: String
    /// Whether the file is written executable (scripts).
    public var isExecutable: Bool

    public init(_ path: String, _ contents: String, isExecutable: Bool = false) {
        self.path = path
        self.contents = contents
        self.isExecutable = isExecutable
    }
}
