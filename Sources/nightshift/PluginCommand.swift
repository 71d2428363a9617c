import Foundation
import NightshiftHost
import NightshiftScaffold

/// `nightshift plugin inspect|new`: what a plugin file is, read through the real loader; and a new plugin package
/// generated from templates (the scaffolding itself lives in the host library, `PluginScaffold`).
enum PluginCommand {
    static let command = Command(
        name: "plugin",
        abstract: "Inspects plugin files and creates new plugin packages.",
        usage: """
            nightshift plugin inspect <file.so> [--json]
                   nightshift plugin new <name> --kind <strategy|source|broker> [--lang <swift|c>] [--output <dir>] [--sdk <path>]
            """,
        options: [
            ("--json", "inspect: print the plugin's info as JSON."),
            ("--kind <kind>", "new: strategy, source (a poll source) or broker (required)."),
            ("--lang <language>", "new: swift (default) or c."),
            ("--output <dir>", "new: where to create the package (default ./<name>; must be empty or absent)."),
            ("--sdk <path>", "new: the Nightshift checkout to build against (default: the one this binary was built in)."),
        ],
        subcommands: [
            ("inspect", "Show a plugin's name, version, kinds, ABI, layout hash and config schema."),
            ("new", "Create a plugin package: source, test, build files and a deployment to try it with."),
        ],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        switch arguments.first {
        case "inspect": return try inspect(Array(arguments.dropFirst()))
        case "new": return try create(Array(arguments.dropFirst()))
        case nil: throw Arguments.UsageError(description: "missing subcommand: expected 'inspect' or 'new'")
        case let other?: throw Arguments.UsageError(description: "unknown plugin subcommand '\(other)'")
        }
    }

    // MARK: - inspect

    static func inspect(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, flags: ["--json"])
        let path = try parsed.single("file.so")
        let plugin: LoadedPlugin
        do {
            plugin = try PluginLoader.load(path: path)
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
            "layout_hash": "0x" + String(info.layoutHash, radix: 16), "layout_hash_matches_host": info.layoutHash == HostABI.layoutHash,
            "sha256": info.sha256, "path": info.path,
        ]
        object["config_schema"] = (try? JSONSerialization.jsonObject(with: Data(info.configSchema.utf8))) ?? info.configSchema
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func prettySchema(_ schema: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(schema.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return schema }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - new

    static func create(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, options: ["--kind", "--lang", "--output", "--sdk"])
        let request: ScaffoldRequest
        let output: String
        do {
            let name = try PluginName(try parsed.single("name"))
            guard let kindText = parsed.value("--kind") else {
                throw Arguments.UsageError(description: "missing required option '--kind <strategy|source|broker>'")
            }
            let kind = try ScaffoldRequest.Kind(parsing: kindText)
            let language = try ScaffoldRequest.Language(parsing: parsed.value("--lang") ?? "swift")
            request = ScaffoldRequest(name: name, kind: kind, language: language, sdk: try sdk(parsed.value("--sdk")))
            output = parsed.value("--output") ?? name.text
        } catch let error as ScaffoldError {
            throw Arguments.UsageError(description: error.message)
        }
        let written: [String]
        do {
            written = try PluginScaffold.write(request, into: output)
        } catch {
            guard error.code.isUsage else {
                printError("Error: \(error.message)")
                return .software
            }
            throw Arguments.UsageError(description: error.message)
        }
        let directory = URL(fileURLWithPath: output).standardizedFileURL.path
        let (build, test) = request.language == .swift ? ("swift build", "swift test") : ("make", "make test")
        print("Created \(request.language) \(request.kind) plugin '\(request.name)' in \(directory):")
        print(written.map { "  \($0)" }.joined(separator: "\n"))
        print("""

            Next:
              cd \(directory)
              \(build) && \(test)
              nightshift check deployment.yaml
              nightshift run deployment.yaml --for 30s
            """)
        return .success
    }

    /// The SDK checkout: `--sdk`, or the checkout this binary was built in.
    private static func sdk(_ option: String?) throws -> SDKLocation {
        if let option { return try SDKLocation(root: option) }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        guard let location = SDKLocation.locate(fromExecutable: executable) else {
            throw ScaffoldError(
                .sdkNotFound,
                "cannot find a Nightshift checkout above \(executable); pass --sdk <path to the Nightshift checkout>")
        }
        return location
    }
}
