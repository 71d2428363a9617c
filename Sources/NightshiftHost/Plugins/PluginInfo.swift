import NightshiftABI

/// The kinds a plugin declares, a set of `NS_KIND_*` bits.
public struct PluginKinds: OptionSet, Sendable, Hashable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let pollSource = PluginKinds(rawValue: UInt32(NS_KIND_POLL_SOURCE))
    public static let streamSource = PluginKinds(rawValue: UInt32(NS_KIND_STREAM_SOURCE))
    public static let strategy = PluginKinds(rawValue: UInt32(NS_KIND_STRATEGY))
    public static let broker = PluginKinds(rawValue: UInt32(NS_KIND_BROKER))

    /// Names as shown by `plugin inspect`, in a stable order.
    public var names: [String] {
        [(Self.pollSource, "poll-source"), (.streamSource, "stream-source"), (.strategy, "strategy"), (.broker, "broker")]
            .filter { contains($0.0) }.map(\.1)
    }
}

/// What a plugin says about itself, read from its info table before any of its code beyond the entry symbol runs.
public struct PluginInfo: Sendable, Equatable {
    public var path: String
    public var name: String
    public var version: String
    public var description: String
    public var kinds: PluginKinds
    public var abiMajor: Int
    public var abiMinor: Int
    public var layoutHash: UInt64
    /// The config schema as the plugin published it (JSON text).
    public var configSchema: String
    /// The file's SHA-256, hex.
    public var sha256: String
}

/// A plugin whose info has been read and accepted: its info plus copies of its tables.
///
/// The tables were copied field by field up to the size the plugin declared, so a short table reads as absent
/// functions, never as memory past what the plugin provided. The library is never unloaded (Swift images cannot be
/// unloaded safely), so the function pointers stay valid for the life of the process.
public struct LoadedPlugin: @unchecked Sendable {
    public let info: PluginInfo
    let table: ns_plugin_v1
    let pollSource: ns_poll_source_v1?
    let streamSource: ns_stream_source_v1?
    let strategy: ns_strategy_v1?
    let broker: ns_broker_v1?
}

/// The ABI version this host implements.
public enum HostABI {
    public static let major = Int(NS_ABI_MAJOR)
    public static let minor = Int(NS_ABI_MINOR)
    /// The layout hash of the hot-path structs as this host was compiled.
    public static var layoutHash: UInt64 { ns_host_layout_hash() }
}
