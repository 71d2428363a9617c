/// Why a plugin file was refused.
///
/// Every refusal names the file and the reason; ABI refusals name both versions. The host stays up to report it.
public struct PluginLoadError: Error, CustomStringConvertible, Sendable {
    /// What went wrong. An open set: new codes may be added without breaking a `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let missingFile = Code(rawValue: "missing-file")
        public static let notRegularFile = Code(rawValue: "not-a-regular-file")
        public static let insecurePermissions = Code(rawValue: "insecure-permissions")
        public static let digestMismatch = Code(rawValue: "sha256-mismatch")
        public static let openFailed = Code(rawValue: "dlopen-failed")
        public static let noEntrySymbol = Code(rawValue: "no-entry-symbol")
        public static let abiMajorMismatch = Code(rawValue: "abi-major-mismatch")
        public static let abiMinorTooNew = Code(rawValue: "abi-minor-too-new")
        public static let layoutMismatch = Code(rawValue: "layout-hash-mismatch")
        public static let malformedInfo = Code(rawValue: "malformed-info")
        public static let notFound = Code(rawValue: "plugin-not-found")
        public static let outsidePluginDirectories = Code(rawValue: "outside-plugin-dirs")
        public static let duplicateInstance = Code(rawValue: "duplicate-instance")
        public static let kindMismatch = Code(rawValue: "kind-mismatch")
    }

    public var code: Code
    /// The plugin file (or the name looked up, for `notFound`).
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): plugin refused (\(code)): \(message)" }
}
