/// Why `nightshift plugin new` could not create a plugin package.
///
/// Every error names the problem in words a plugin author can act on: the offending name, the missing SDK file, the
/// output directory that is already in use.
public struct ScaffoldError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong. An open set: new codes may be added without breaking a `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The plugin name breaks a naming rule.
        public static let invalidName = Code(rawValue: "invalid-name")
        /// The kind or language is not one `plugin new` knows.
        public static let invalidChoice = Code(rawValue: "invalid-choice")
        /// The SDK (a Nightshift checkout) could not be found or is incomplete.
        public static let sdkNotFound = Code(rawValue: "sdk-not-found")
        /// The output directory exists and is not empty, or cannot hold the package.
        public static let outputInUse = Code(rawValue: "output-in-use")
        /// Writing a file failed.
        public static let writeFailed = Code(rawValue: "write-failed")

        /// Whether the error is the caller's to fix on the command line (exit 64) rather than an I/O failure.
        public var isUsage: Bool { self != .writeFailed }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
