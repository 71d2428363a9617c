import NightshiftABI

/// Reads a plugin's info table from the pointer its entry symbol returned, trusting nothing in it.
///
/// Versions are checked before anything else is read. Tables are copied only up to the size the plugin declares and
/// never past what the declared minor defines, so a bogus size cannot make the host read beyond what was provided.
/// Strings are bounded and must be valid UTF-8.
enum PluginInfoReader {
    /// The longest string a plugin may publish (its schema is the longest).
    static let maxStringLength = 1 << 20

    static func read(_ raw: UnsafeRawPointer, path: String, sha256: String) throws(PluginLoadError) -> LoadedPlugin {
        let declaredSize = Int(raw.loadUnaligned(as: UInt32.self))
        let major = Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        let minor = Int(raw.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        let host = "\(HostABI.major).\(HostABI.minor)"
        guard major == HostABI.major else {
            throw PluginLoadError(
                .abiMajorMismatch, path: path, "plugin is built for ABI \(major).\(minor), this host implements ABI \(host)")
        }
        guard minor <= HostABI.minor else {
            throw PluginLoadError(
                .abiMinorTooNew, path: path, "plugin needs ABI \(major).\(minor), this host implements ABI \(host)")
        }
        let table: ns_plugin_v1 = try copyTable(
            raw, declaredSize: declaredSize, minimum: ABI10.plugin, name: "info", path: path)
        guard table.layout_hash == HostABI.layoutHash else {
            throw PluginLoadError(
                .layoutMismatch, path: path,
                "hot-path struct layout hash is \(hex(table.layout_hash)), this host's is \(hex(HostABI.layoutHash))"
                    + " (built against a different header or with different packing)")
        }
        guard table.create != nil, table.destroy != nil, table.last_error != nil else {
            throw PluginLoadError(.malformedInfo, path: path, "create, destroy and last_error must all be provided")
        }
        let kinds = PluginKinds(rawValue: table.kinds)
        let known: PluginKinds = [.pollSource, .streamSource, .strategy, .broker]
        guard !kinds.isEmpty, known.isSuperset(of: kinds) else {
            throw PluginLoadError(.malformedInfo, path: path, "kinds \(hex(UInt64(table.kinds))) are empty or unknown")
        }
        let name = try string(table.name, field: "name", path: path)
        guard !name.isEmpty else { throw PluginLoadError(.malformedInfo, path: path, "the plugin has no name") }
        let info = PluginInfo(
            path: path, name: name,
            version: try string(table.version, field: "version", path: path),
            description: try string(table.description, field: "description", path: path),
            kinds: kinds, abiMajor: major, abiMinor: minor, layoutHash: table.layout_hash,
            configSchema: try string(table.config_schema, field: "config_schema", path: path),
            sha256: sha256)
        return LoadedPlugin(
            info: info, table: table,
            pollSource: try capability(table.poll_source, .pollSource, kinds, ABI10.pollSource, path) {
                $0.begin_cycle != nil && $0.next_request != nil && $0.on_response != nil
            },
            streamSource: try capability(table.stream_source, .streamSource, kinds, ABI10.streamSource, path) {
                $0.describe != nil && $0.on_open != nil && $0.on_frame != nil && $0.on_close != nil
            },
            strategy: try capability(table.strategy, .strategy, kinds, ABI10.strategy, path) { $0.on_events != nil },
            broker: try capability(table.broker, .broker, kinds, ABI10.broker, path) { $0.submit != nil && $0.query != nil })
    }

    // MARK: - Helpers

    /// Copies a size-prefixed table into a zeroed value: a missing tail (fields of a later minor) reads as absent,
    /// a longer one (fields this host does not know) is ignored. The table must hold at least ABI 1.0's fields.
    private static func copyTable<T>(
        _ raw: UnsafeRawPointer, declaredSize: Int, minimum: Int, name: String, path: String
    ) throws(PluginLoadError) -> T {
        guard declaredSize >= minimum else {
            throw PluginLoadError(
                .malformedInfo, path: path, "the \(name) table declares \(declaredSize) bytes; ABI 1.0 defines \(minimum)")
        }
        let size = MemoryLayout<T>.size
        // C structs are plain data: zero the whole value, then copy what the plugin provided.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<T>.alignment)
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        storage.copyMemory(from: raw, byteCount: min(declaredSize, size))
        return storage.load(as: T.self)
    }

    /// Reads the capability table for `kind`, which must be present exactly when the kind is declared.
    private static func capability<T>(
        _ pointer: UnsafePointer<T>?, _ kind: PluginKinds, _ kinds: PluginKinds, _ minimum: Int, _ path: String,
        complete: (T) -> Bool
    ) throws(PluginLoadError) -> T? {
        let label = kind.names.first ?? "capability"
        guard kinds.contains(kind) else { return nil }
        guard let pointer else {
            throw PluginLoadError(.malformedInfo, path: path, "declares kind \(label) but provides no \(label) table")
        }
        let raw = UnsafeRawPointer(pointer)
        let table: T = try copyTable(
            raw, declaredSize: Int(raw.loadUnaligned(as: UInt32.self)), minimum: minimum, name: label, path: path)
        guard complete(table) else {
            throw PluginLoadError(.malformedInfo, path: path, "the \(label) table lacks a required function")
        }
        return table
    }

    private static func string(_ value: ns_str, field: String, path: String) throws(PluginLoadError) -> String {
        if value.len == 0 { return "" }
        guard let pointer = value.ptr, value.len <= maxStringLength else {
            throw PluginLoadError(.malformedInfo, path: path, "\(field) is not a valid string (length \(value.len))")
        }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: value.len).bindMemory(to: UInt8.self)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PluginLoadError(.malformedInfo, path: path, "\(field) is not valid UTF-8")
        }
        return text
    }

    private static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

/// The sizes of the v1 tables as ABI 1.0 defined them: the end of each table's last 1.0 field. A later minor appends
/// fields, so a 1.0 plugin's tables stay this size and must still load.
enum ABI10 {
    private static let pointer = MemoryLayout<UnsafeRawPointer?>.size
    static let plugin = MemoryLayout<ns_plugin_v1>.offset(of: \ns_plugin_v1.broker)! + pointer
    static let pollSource = MemoryLayout<ns_poll_source_v1>.offset(of: \ns_poll_source_v1.on_response)! + pointer
    static let streamSource = MemoryLayout<ns_stream_source_v1>.offset(of: \ns_stream_source_v1.on_close)! + pointer
    static let strategy = MemoryLayout<ns_strategy_v1>.offset(of: \ns_strategy_v1.on_order_update)! + pointer
    static let broker = MemoryLayout<ns_broker_v1>.offset(of: \ns_broker_v1.on_events)! + pointer
}
