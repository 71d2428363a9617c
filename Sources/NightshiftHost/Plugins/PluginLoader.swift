import Foundation
import Glibc
import NightshiftABI

/// Loads plugin files and reads their info, refusing — by name and reason — anything unsafe or incompatible.
///
/// Loading order: file-system checks, optional SHA-256 pin, `dlopen`, the entry symbol, then the info table (versions,
/// layout hash, strings, capability tables). `dlopen` runs the library's own initializers (ELF constructors, Swift
/// static initializers), so only files that pass the checks are opened; of the plugin's ABI functions, only the entry
/// symbol runs before the host has accepted the info. `create` is called later, by the runtime, after the config has
/// been checked against the schema.
public enum PluginLoader {
    /// Resolves a plugin reference from YAML to a file inside one of `directories`.
    ///
    /// A reference is a name, looked up as `lib<name>.so` then `<name>.so` in each directory in order, or a path
    /// (contains `/`; relative paths are relative to `base`, the deployment file's directory). A path must lie inside
    /// a configured plugin directory: plugins are code, and the host runs only code from places the operator named.
    /// The check is on the folded path (`..` cannot climb out); a symlink placed inside a plugin directory is the
    /// operator's choice, and its target's permissions are checked on load.
    public static func resolve(_ reference: String, in directories: [String], base: String = "/") throws(PluginLoadError) -> String {
        let searched = directories.isEmpty ? "(no plugin_dirs configured)" : directories.joined(separator: ", ")
        if reference.contains("/") {
            let path = folded(reference.hasPrefix("/") ? reference : base + "/" + reference)
            guard directories.contains(where: { path.hasPrefix(folded($0) + "/") }) else {
                throw PluginLoadError(.outsidePluginDirectories, path: path, "not inside a configured plugin directory: \(searched)")
            }
            return path
        }
        let fileManager = FileManager.default
        for directory in directories {
            for candidate in ["lib\(reference).so", "\(reference).so"] {
                let path = (directory as NSString).appendingPathComponent(candidate)
                if fileManager.fileExists(atPath: path) { return path }
            }
        }
        throw PluginLoadError(.notFound, path: reference, "no lib\(reference).so or \(reference).so in \(searched)")
    }

    /// `path` with empty, `.` and `..` components folded (no file-system access).
    private static func folded(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Loads the plugin at `path`.
    ///
    /// - Parameters:
    ///   - path: the `.so` file.
    ///   - sha256: an optional pin; the file's digest must match it (case-insensitive hex).
    /// - Throws: `PluginLoadError` naming the file and the reason.
    public static func load(path: String, sha256 pin: String? = nil) throws(PluginLoadError) -> LoadedPlugin {
        let file = try PluginFile(path: path)
        let digest = try file.sha256()
        if let pin, pin.lowercased() != digest {
            throw PluginLoadError(.digestMismatch, path: path, "sha256 is \(digest), the configuration pins \(pin.lowercased())")
        }
        let handle = try file.dynamicOpen()
        guard let symbol = dlsym(handle, NS_ENTRY_SYMBOL_V1) else {
            throw PluginLoadError(
                .noEntrySymbol, path: path,
                "no \(NS_ENTRY_SYMBOL_V1) symbol: not a Nightshift ABI v\(HostABI.major) plugin")
        }
        let entry = unsafeBitCast(symbol, to: ns_entry_v1.self)
        guard let table = entry() else {
            throw PluginLoadError(.malformedInfo, path: path, "\(NS_ENTRY_SYMBOL_V1) returned NULL")
        }
        return try PluginInfoReader.read(UnsafeRawPointer(table), path: path, sha256: digest)
    }
}
