import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Loads a deployment file: parse, interpolate, decode, validate, and record secrets.
///
/// Every stage reports all the errors it can find; a later stage runs only when the earlier one produced a tree it
/// can trust (a syntax error stops everything; a missing variable does not stop type checks elsewhere). Plugin
/// subtrees are kept raw for `Deployment.pluginConfig(for:schema:)` once plugins are loaded.
public enum ConfigLoader {
    /// Loads the deployment at `path`.
    ///
    /// - Parameters:
    ///   - path: The deployment file; marks name it as given, relative paths inside it resolve against its directory.
    ///   - environment: The variables `${NAME}` reads (pass `ProcessInfo.processInfo.environment` in production).
    ///   - credentialsDirectory: Where `${credential:name}` reads from; defaults to `environment["CREDENTIALS_DIRECTORY"]`.
    ///   - hostName: The default `host.name`; defaults to the machine's hostname.
    /// - Throws: `ConfigErrors` with every problem found, each naming file:line:column.
    public static func load(
        path: String, environment: [String: String], credentialsDirectory: String? = nil, hostName: String? = nil
    ) throws(ConfigErrors) -> Deployment {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw ConfigErrors([ConfigError(.io, "deployment file '\(path)' \(reason)", at: nil)])
        }
        let directory = PathResolver.directory(of: path, workingDirectory: FileManager.default.currentDirectoryPath)
        return try load(
            bytes: Array(data), file: path, directory: directory, environment: environment,
            credentialsDirectory: credentialsDirectory, hostName: hostName)
    }

    /// Loads a deployment from raw bytes (so invalid UTF-8 is reported with its place, not replaced).
    static func load(
        bytes: [UInt8], file: String, directory: String, environment: [String: String],
        credentialsDirectory: String? = nil, hostName: String? = nil
    ) throws(ConfigErrors) -> Deployment {
        let root = try YAMLNode.parse(bytes: bytes, file: file)
        return try load(
            root, file: file, directory: directory, environment: environment,
            credentialsDirectory: credentialsDirectory, hostName: hostName)
    }

    /// Loads a deployment from text, as if read from `file` in `directory`.
    ///
    /// - Parameters:
    ///   - text: The YAML.
    ///   - file: The name marks carry.
    ///   - directory: The absolute directory relative paths resolve against.
    ///   - environment, credentialsDirectory, hostName: As for `load(path:environment:credentialsDirectory:hostName:)`.
    public static func load(
        text: String, file: String, directory: String, environment: [String: String],
        credentialsDirectory: String? = nil, hostName: String? = nil
    ) throws(ConfigErrors) -> Deployment {
        let root = try YAMLNode.parse(text, file: file)
        return try load(
            root, file: file, directory: directory, environment: environment,
            credentialsDirectory: credentialsDirectory, hostName: hostName)
    }

    // MARK: - Stages

    private static func load(
        _ root: YAMLNode, file: String, directory: String, environment: [String: String],
        credentialsDirectory: String?, hostName: String?
    ) throws(ConfigErrors) -> Deployment {
        let sources = InterpolationSources(
            environment: environment, credentialsDirectory: credentialsDirectory, baseDirectory: directory)
        var interpolator = Interpolator(sources: sources)
        let resolved = interpolator.interpolate(root)

        var decoder = DeploymentDecoder(
            file: file, directory: directory, defaultHostName: hostName ?? machineHostName())
        var deployment = decoder.decode(resolved)

        var secrets = interpolator.secrets.union(decoder.secrets).union(sources.sensitiveEnvironmentValues)
        secrets.remove("")
        deployment.secrets = secrets

        // A value whose interpolation failed was left as written; checking it again would only add noise.
        let unresolved = Set(interpolator.diagnostics.errors.compactMap(\.mark))
        let errors =
            interpolator.diagnostics.errors
            + decoder.diagnostics.errors.filter { $0.mark.map { !unresolved.contains($0) } ?? true }
        guard errors.isEmpty else { throw ConfigErrors(redacting(errors, secrets: secrets)) }
        return deployment
    }

    /// A last line of defence: no message may carry a secret, whatever path it took. Very short values are skipped
    /// so that redaction does not garble messages by replacing common fragments.
    static func redacting(_ errors: [ConfigError], secrets: Set<String>) -> [ConfigError] {
        let redactable = secrets.filter { $0.count >= 6 }.sorted { $0.count > $1.count }
        guard !redactable.isEmpty else { return errors }
        return errors.map { error in
            var error = error
            for secret in redactable where error.message.contains(secret) {
                error.message = error.message.replacingOccurrences(of: secret, with: "***")
            }
            return error
        }
    }

    /// The machine's hostname, or "localhost" if it cannot be read.
    static func machineHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
