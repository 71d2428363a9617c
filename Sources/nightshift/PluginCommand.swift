import Foundation
import NightshiftHost

/// `nightshift plugin inspect <file.so> [--json]`: what a plugin file is, read through the real loader.
enum PluginCommand {
    static let command = Command(
        name: "plugin",
        abstract: "Inspects plugin files.",
        usage: "nightshift plugin inspect <file.so> [--json]",
        options: [("--json", "Print the plugin's info as JSON.")],
        subcommands: [("inspect", "Show a plugin's name, version, kinds, ABI, layout hash and config schema.")],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, flags: ["--json"])
        guard parsed.positionals.first == "inspect" else {
            throw Arguments.UsageError(
                description: parsed.positionals.isEmpty
                    ? "missing subcommand: expected 'inspect'" : "unknown plugin subcommand '\(parsed.positionals[0])'")
        }
        guard parsed.positionals.count == 2 else {
            throw Arguments.UsageError(description: "missing expected argument '<file.so>'")
        }
        let plugin: LoadedPlugin
        do {
            plugin = try PluginLoader.load(path: parsed.positionals[1])
        } catch {
            printError("Error: \(error)")
            return .config
        }
        print(parsed.flag("--json") ? json(plugin.info) : table(plugin.info))
        return .success
    }

    static func table(_ info: PluginInfo) -> String {
        let host = HostABI.layoutHash == info.layoutHash ? "matches host" : "differs from host"
        return Command.table([
            ("name", info.name), ("version", info.version), ("description", info.description),
            ("kinds", info.kinds.names.joined(separator: ", ")),
            ("abi", "\(info.abiMajor).\(info.abiMinor) (host \(HostABI.major).\(HostABI.minor))"),
            ("layout hash", "0x" + String(info.layoutHash, radix: 16) + " (\(host))"),
            ("sha256", info.sha256), ("path", info.path),
        ]) + "\nconfig schema:\n" + prettySchema(info.configSchema)
    }

    static func json(_ info: PluginInfo) -> String {
        var object: [String: Any] = [
            "name": info.name, "version": info.version, "description": info.description, "kinds": info.kinds.names,
            "abi": ["major": info.abiMajor, "minor": info.abiMinor],
            "host_abi": ["major": HostABI.major, "minor": HostABI.minor],
            "layout_hash": "0x" + String(info.layoutHash, radix: 16), "sha256": info.sha256, "path": info.path,
        ]
        object["config_schema"] = (try? JSONSerialization.jsonObject(with: Data(info.configSchema.utf8))) ?? info.configSchema
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func prettySchema(_ schema: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(schema.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return schema }
        return String(decoding: data, as: UTF8.self)
    }
}
