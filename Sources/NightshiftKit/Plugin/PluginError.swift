/// An error a plugin throws, or a host service reports, carrying the status the boundary returns.
///
/// ``Code`` is an open set; the boundary maps `.retry` to `NS_RETRY`, `.invalidConfig` to `NS_INVALID_CONFIG` and
/// everything else to `NS_FATAL`. The ``message`` becomes the instance's last error, so it must never contain a
/// secret. Any other Swift error thrown out of a plugin becomes `NS_FATAL` with its description.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Transient: the host may retry the request or reconnect under its policy.
        public static let retry = Code(rawValue: "retry")
        /// Permanent: stop the instance.
        public static let fatal = Code(rawValue: "fatal")
        /// The configuration is unusable (the host exits 78).
        public static let invalidConfig = Code(rawValue: "invalid_config")

        public var description: String { rawValue }
    }

    public var code: Code
    /// A human-readable reason, without secrets.
    public var message: String
    /// Where the error arose: a source location (`File.swift:42`) or the host service that failed.
    public var context: String?

    public init(code: Code, message: String, context: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// A transient failure.
    public static func retry(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> PluginError {
        PluginError(code: .retry, message: message, context: "\(file):\(line)")
    }

    /// A permanent failure.
    public static func fatal(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> PluginError {
        PluginError(code: .fatal, message: message, context: "\(file):\(line)")
    }

    /// An unusable configuration.
    public static func invalidConfig(
        _ message: String, file: StaticString = #fileID, line: UInt = #line
    ) -> PluginError {
        PluginError(code: .invalidConfig, message: message, context: "\(file):\(line)")
    }

    public var description: String {
        "\(code): \(message)\(context.map { " (\($0))" } ?? "")"
    }
}
