import Foundation
import Testing
@testable import NightshiftHost

/// The example strategy of `docs/plugins.md`, as the tutorial runs it: the built `libexample-strategy.so`, and the
/// deployment block from the tutorial itself through `nightshift check` and `nightshift run`.
@Suite struct ExampleStrategyTests {
    static let library = CommandRunner.productsDirectory.appendingPathComponent("libexample-strategy.so").path

    /// The YAML block that follows the `example-deployment` marker in docs/plugins.md.
    static func tutorialDeployment() throws -> String {
        let text = try String(
            contentsOf: CPluginBuilder.root.appendingPathComponent("docs/plugins.md"), encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- example-deployment"), "docs/plugins.md lost its example")
        let start = try #require(text.range(of: "```yaml\n", range: marker.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func loadsAsAStrategyWithItsSchema() throws {
        let plugin = try PluginLoader.load(path: Self.library)
        #expect(plugin.info.name == "example-strategy")
        #expect(plugin.info.kinds == .strategy)
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(plugin.info.configSchema.utf8)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["symbols", "streak", "quantity", "max_position"])
    }

    @Test func theTutorialDeploymentChecksRunsAndTrades() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The tutorial saves the file in the checkout, next to .build; here the build products are elsewhere.
        let yaml = try Self.tutorialDeployment()
        #expect(yaml.contains("plugin_dirs: [.build/debug]"))
        let deployment = yaml.replacingOccurrences(
            of: "plugin_dirs: [.build/debug]", with: "plugin_dirs: [\"\(CommandRunner.productsDirectory.path)\"]")
            .replacingOccurrences(of: "stdout: json", with: "stdout: none")
        try deployment.write(to: directory.appendingPathComponent("example.yaml"), atomically: true, encoding: .utf8)

        let check = try CommandRunner.nightshift(["check", "example.yaml"], in: directory)
        #expect(check.succeeded, "\(check)")
        #expect(check.stdout.contains("example  example-strategy 1.0.0 [strategy; subscribes quotes; routes to paper]"))

        let run = try CommandRunner.nightshift(["run", "example.yaml", "--for", "2s"], in: directory)
        #expect(run.succeeded, "\(run)")
        let query = try CommandRunner.nightshift(
            ["events", "query", "--config", "example.yaml", "--instance", "example", "--type", "order_submitted", "--json"],
            in: directory)
        #expect(query.succeeded, "\(query)")
        let rows = query.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(!rows.isEmpty, "the example strategy submitted no order in 2 s: \(query)")
        let reasons = rows.compactMap { ($0["fields"] as? [String: Any])?["strategy_reason"] as? String }
        #expect(!reasons.isEmpty && reasons.allSatisfy { $0 == "rising run" || $0 == "falling run" }, "\(reasons)")
    }
}
