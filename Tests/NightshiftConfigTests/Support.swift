import Foundation
@testable import NightshiftConfig

/// Locates fixtures next to this file and makes scratch directories for secrets.
enum Fixtures {
    /// The fixtures directory, found from this source file's own path.
    static let directory: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.appendingPathComponent("Fixtures").path
    }()

    /// The absolute path of a fixture.
    static func path(_ name: String) -> String { directory + "/" + name }

    /// A fixture's text.
    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Loads a fixture, returning the errors it produced (or none).
    static func errors(
        _ name: String, environment: [String: String] = [:], credentialsDirectory: String? = nil
    ) -> [ConfigError] {
        do {
            _ = try ConfigLoader.load(
                path: path(name), environment: environment, credentialsDirectory: credentialsDirectory,
                hostName: "test-host")
            return []
        } catch {
            return error.errors
        }
    }

    /// A fresh directory under the system temporary directory, with `files` written into it.
    static func scratch(_ files: [String: String] = [:]) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, content) in files {
            try content.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }
}

/// Parses YAML text, returning the errors (or an empty list on success).
func parseErrors(_ yaml: String, file: String = "t.yaml") -> [ConfigError] {
    do {
        _ = try YAMLNode.parse(yaml, file: file)
        return []
    } catch {
        return error.errors
    }
}

/// Loads a deployment from text in a fixed directory, returning its errors.
func loadErrors(_ yaml: String, environment: [String: String] = [:], credentialsDirectory: String? = nil)
    -> [ConfigError]
{
    do {
        _ = try ConfigLoader.load(
            text: yaml, file: "d.yaml", directory: "/srv/bot", environment: environment,
            credentialsDirectory: credentialsDirectory, hostName: "test-host")
        return []
    } catch {
        return error.errors
    }
}

/// Error descriptions with the fixtures directory stripped, so expectations read `bad/x.yaml:3:5: error: …`.
func relative(_ errors: [ConfigError]) -> [String] {
    errors.map { $0.description.replacingOccurrences(of: Fixtures.directory + "/", with: "") }
}
