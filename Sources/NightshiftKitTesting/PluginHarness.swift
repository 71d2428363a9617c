import NightshiftKit
internal import NightshiftABI

/// Drives one plugin instance through its exported C table, with a ``FakeHost`` behind it.
///
/// The harness does what the runtime does — reads the table, checks versions, calls `create` with the config JSON,
/// then calls the capability entry points — so a test exercises the same boundary code a deployment does, without
/// `dlopen`. Non-OK statuses surface as a thrown ``HarnessError`` carrying the plugin's last error.
///
/// ```swift
/// let harness = try PluginHarness(MyStrategy.self, config: #"{"symbol":"AAPL"}"#)
/// try harness.send(quote: "AAPL", bid: 99, ask: 100)
/// #expect(harness.host.orders.count == 1)
/// ```
public final class PluginHarness {
    /// What a plugin table declares.
    public struct Declaration: Sendable, Hashable {
        public var size: Int
        public var abiMajor: Int
        public var abiMinor: Int
        public var layoutHash: UInt64
        public var name: String
        public var version: String
        public var description: String
        public var configSchema: String
        public var isPollSource: Bool
        public var isStreamSource: Bool
        public var isStrategy: Bool
        public var isBroker: Bool
        /// The raw `NS_KIND_*` bits.
        public var kinds: UInt32
    }

    /// The host behind the instance.
    public let host: FakeHost
    /// What the table declares.
    public let declaration: Declaration
    let table: UnsafePointer<ns_plugin_v1>
    private(set) var instance: UnsafeMutableRawPointer?

    /// Creates an instance of a Swift plugin type through its exported table.
    ///
    /// - Throws: ``HarnessError`` when `create` fails (e.g. `.invalidConfig` for a bad configuration).
    public convenience init<P: Plugin>(
        _ type: P.Type, config: String = "{}", instanceName: String = "test", host: FakeHost = FakeHost()
    ) throws {
        try self.init(table: NightshiftKit.export(type), config: config, instanceName: instanceName, host: host)
    }

    /// Creates an instance from a table returned by an entry symbol (`const ns_plugin_v1 *`).
    public init(table raw: UnsafeRawPointer, config: String, instanceName: String, host: FakeHost) throws {
        let table = raw.assumingMemoryBound(to: ns_plugin_v1.self)
        self.table = table
        self.host = host
        declaration = Self.declaration(of: table.pointee)
        try Self.check(declaration)
        host.config = config
        host.instanceName = instanceName
        var instance: UnsafeMutableRawPointer?
        var error = ns_str()
        guard let create = table.pointee.create else {
            throw HarnessError(code: .refused, status: .fatal, message: "the table has no create", call: "create")
        }
        let status = host.during {
            config.withCString { configPointer in
                instanceName.withCString { namePointer in
                    create(
                        host.table, ns_str(ptr: namePointer, len: instanceName.utf8.count),
                        ns_str(ptr: configPointer, len: config.utf8.count), &instance, &error)
                }
            }
        }
        guard status == ns_status(NS_OK), let instance else {
            throw HarnessError(
                code: .pluginStatus, status: PluginStatus(rawValue: status == 0 ? 2 : status),
                message: error.string, call: "create")
        }
        self.instance = instance
    }

    deinit {
        if let instance, let destroy = table.pointee.destroy {
            host.during { destroy(instance) }
        }
    }

    /// The instance's last error as `last_error` returns it.
    public var lastError: String {
        table.pointee.last_error?(instance).string ?? ""
    }

    // MARK: - Internals

    /// Runs a call into the plugin with the host's per-call state set up around it.
    func call(_ name: String, _ body: (UnsafeMutableRawPointer?) -> ns_status) throws {
        let status = host.during { body(instance) }
        guard status == ns_status(NS_OK) else {
            throw HarnessError(
                code: .pluginStatus, status: PluginStatus(rawValue: status), message: lastError, call: name)
        }
    }

    /// The capability table at `keyPath`, or a refusal naming what is missing.
    func capability<T>(_ keyPath: KeyPath<ns_plugin_v1, UnsafePointer<T>?>, _ name: String) throws -> T {
        guard let pointer = table.pointee[keyPath: keyPath] else {
            throw HarnessError(code: .refused, status: .fatal, message: "the plugin is not a \(name)", call: name)
        }
        return pointer.pointee
    }

    /// What a Swift plugin type's exported table declares, without creating an instance.
    public static func declaration<P: Plugin>(of type: P.Type) -> Declaration {
        declaration(of: NightshiftKit.export(type).assumingMemoryBound(to: ns_plugin_v1.self).pointee)
    }

    static func declaration(of table: ns_plugin_v1) -> Declaration {
        Declaration(
            size: Int(table.size), abiMajor: Int(table.abi_major), abiMinor: Int(table.abi_minor),
            layoutHash: table.layout_hash, name: table.name.string, version: table.version.string,
            description: table.description.string, configSchema: table.config_schema.string,
            isPollSource: table.kinds & UInt32(NS_KIND_POLL_SOURCE) != 0 && table.poll_source != nil,
            isStreamSource: table.kinds & UInt32(NS_KIND_STREAM_SOURCE) != 0 && table.stream_source != nil,
            isStrategy: table.kinds & UInt32(NS_KIND_STRATEGY) != 0 && table.strategy != nil,
            isBroker: table.kinds & UInt32(NS_KIND_BROKER) != 0 && table.broker != nil,
            kinds: table.kinds)
    }

    /// Refuses a table the runtime would refuse: another major, a newer minor, or a different layout.
    static func check(_ declaration: Declaration) throws {
        func refuse(_ message: String) -> HarnessError {
            HarnessError(code: .refused, status: .fatal, message: message, call: "load")
        }
        guard declaration.abiMajor == Int(NS_ABI_MAJOR), declaration.abiMinor <= Int(NS_ABI_MINOR) else {
            throw refuse(
                "plugin \(declaration.name) needs ABI \(declaration.abiMajor).\(declaration.abiMinor), "
                    + "host has \(NS_ABI_MAJOR).\(NS_ABI_MINOR)")
        }
        guard declaration.layoutHash == ns_layout_hash() else {
            throw refuse("plugin \(declaration.name) was built with a different struct layout")
        }
        guard declaration.size >= MemoryLayout<ns_plugin_v1>.size else {
            throw refuse("plugin \(declaration.name) declares a table of \(declaration.size) bytes")
        }
    }

    /// The layout hash the harness (the host side) was compiled with.
    public static var hostLayoutHash: UInt64 { ns_layout_hash() }
}

extension FakeHost {
    /// Runs `body` as a call into the instance: services are legal, call-lifetime memory is freed afterwards.
    func during<R>(_ body: () -> R) -> R {
        inCall = true
        defer {
            inCall = false
            callMemory.release()
        }
        return body()
    }
}
