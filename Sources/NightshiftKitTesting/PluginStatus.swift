/// A status code crossing the boundary (`NS_OK`, `NS_RETRY`, …), as an open set.
public struct PluginStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let ok = PluginStatus(rawValue: 0)
    public static let retry = PluginStatus(rawValue: 1)
    public static let fatal = PluginStatus(rawValue: 2)
    public static let invalidConfig = PluginStatus(rawValue: 3)

    public var description: String {
        switch self {
        case .ok: "ok"
        case .retry: "retry"
        case .fatal: "fatal"
        case .invalidConfig: "invalid_config"
        default: "status(\(rawValue))"
        }
    }
}

/// A non-OK status a plugin returned to the fake host, with the plugin's last error.
public struct HarnessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the harness failed: the plugin returned a status, or the harness refused the plugin or a setup.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The plugin returned a non-OK status from a call.
        public static let pluginStatus = Code(rawValue: "plugin_status")
        /// The plugin's table was refused (ABI version, layout hash, missing capability).
        public static let refused = Code(rawValue: "refused")
        /// A library could not be loaded or lacks the entry symbol.
        public static let load = Code(rawValue: "load")
        /// The host's side failed: a request without a script, or a scripted failure.
        public static let hostFailure = Code(rawValue: "host_failure")

        public var description: String { rawValue }
    }

    public var code: Code
    /// The plugin's status (`.fatal` for refusals and load failures).
    public var status: PluginStatus
    /// The plugin's last error, or the harness's reason.
    public var message: String
    /// The ABI function that failed, e.g. `"on_events"`.
    public var call: String

    public init(code: Code, status: PluginStatus, message: String, call: String) {
        self.code = code
        self.status = status
        self.message = message
        self.call = call
    }

    public var description: String { "\(call) returned \(status): \(message)" }
}
