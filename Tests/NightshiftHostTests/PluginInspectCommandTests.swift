import Foundation
import Testing
@testable import NightshiftHost

/// `nightshift plugin inspect` as a user runs it: the built binary on a plugin built by `cc`.
@Suite struct PluginInspectCommandTests {
    let builder: CPluginBuilder

    init() throws { builder = try CPluginBuilder() }

    private func cThreshold() throws -> String {
        try builder.build("plugins/c-threshold/threshold.c", name: "libc-threshold")
    }

    @Test func jsonCarriesNameVersionKindsABILayoutHashAndSchema() throws {
        let path = try cThreshold()
        let result = try CommandRunner.nightshift(["plugin", "inspect", path, "--json"])
        #expect(result.succeeded, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "c-threshold")
        #expect(json["version"] as? String == "1.0.0")
        #expect(json["kinds"] as? [String] == ["strategy"])
        #expect(json["abi"] as? [String: Int] == ["major": 1, "minor": 0])
        #expect(json["host_abi"] as? [String: Int] == ["major": HostABI.major, "minor": HostABI.minor])
        #expect(json["layout_hash"] as? String == "0x" + String(HostABI.layoutHash, radix: 16))
        #expect(json["layout_hash_matches_host"] as? Bool == true)
        #expect(json["path"] as? String == path)
        let digest = try PluginLoader.load(path: path).info.sha256
        #expect(json["sha256"] as? String == digest)
        // The schema is embedded as JSON, not as a string holding JSON.
        let schema = try #require(json["config_schema"] as? [String: Any])
        #expect(schema["required"] as? [String] == ["symbol", "below"])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["symbol", "below", "quantity"])
    }

    @Test func tableShowsTheSameFacts() throws {
        let path = try cThreshold()
        let result = try CommandRunner.nightshift(["plugin", "inspect", path])
        #expect(result.succeeded, "\(result)")
        /// The value of the table row labelled `key` (labels and values are separated by at least two spaces).
        func row(_ key: String) -> String? {
            result.stdout.split(separator: "\n").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(key + "  ") }
                .map { String($0.dropFirst(key.count)).trimmingCharacters(in: .whitespaces) }
        }
        #expect(row("name") == "c-threshold")
        #expect(row("version") == "1.0.0")
        #expect(row("kinds") == "strategy")
        #expect(row("abi") == "1.0 (host \(HostABI.major).\(HostABI.minor))")
        #expect(row("layout hash") == "0x\(String(HostABI.layoutHash, radix: 16)) (matches host)")
        #expect(result.stdout.contains("config schema:\n{"))
        #expect(result.stdout.contains("\"quantity\""))
    }

    @Test func aRefusedPluginExitsWithTheConfigurationStatusAndTheReason() throws {
        let path = try builder.build(
            "Tests/NightshiftHostTests/Fixtures/variant_plugin.c", name: "major9", defines: ["MAJOR=9", "MINOR=0"])
        let result = try CommandRunner.nightshift(["plugin", "inspect", path, "--json"])
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("abi-major-mismatch"))
        #expect(result.stderr.contains("built for ABI 9.0"))
    }

    @Test func usageErrorsExit64() throws {
        let missing = try CommandRunner.nightshift(["plugin", "inspect"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("missing expected argument '<file.so>'"))
        let unknown = try CommandRunner.nightshift(["plugin", "frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown plugin subcommand 'frobnicate'"))
    }
}
