import Glibc
import NightshiftKit
internal import NightshiftABI

/// Loads a built plugin library the way the runtime does and drives it through a ``FakeHost``.
///
/// The library is opened with `RTLD_NOW | RTLD_LOCAL` and never closed (Swift images cannot be unloaded safely);
/// the entry symbol `nightshift_plugin_v1` returns the table, which is checked and driven exactly as a
/// ``PluginHarness`` drives an in-process type. Works for plugins written in any language against the header.
public enum LoadedPluginHarness {
    /// Opens the library at `path` and creates one instance.
    ///
    /// - Throws: ``HarnessError`` with code `.load` when the library or its entry symbol is missing, `.refused`
    ///   for an incompatible table, or the plugin's status when `create` fails.
    public static func load(
        path: String, config: String = "{}", instanceName: String = "test", host: FakeHost = FakeHost()
    ) throws -> PluginHarness {
        try PluginHarness(table: entryTable(path: path), config: config, instanceName: instanceName, host: host)
    }

    /// Opens the library at `path` and returns the table its entry symbol returns, without creating an instance.
    public static func entryTable(path: String) throws -> UnsafeRawPointer {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw HarnessError(code: .load, status: .fatal, message: reason, call: "dlopen")
        }
        guard let symbol = dlsym(handle, NS_ENTRY_SYMBOL_V1) else {
            throw HarnessError(
                code: .load, status: .fatal, message: "\(path) does not export \(NS_ENTRY_SYMBOL_V1)", call: "dlsym")
        }
        let entry = unsafeBitCast(symbol, to: ns_entry_v1.self)
        guard let table = entry() else {
            throw HarnessError(code: .load, status: .fatal, message: "the entry symbol returned NULL", call: "entry")
        }
        return UnsafeRawPointer(table)
    }

    /// The declaration of the library at `path`.
    public static func declaration(path: String) throws -> PluginHarness.Declaration {
        PluginHarness.declaration(of: try entryTable(path: path).assumingMemoryBound(to: ns_plugin_v1.self).pointee)
    }
}
