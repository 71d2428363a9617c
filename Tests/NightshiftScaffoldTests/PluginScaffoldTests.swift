import Foundation
import Testing
@testable import NightshiftScaffold

/// What `plugin new` generates, without building it: names, SDK detection, the files and their wiring.
@Suite struct PluginScaffoldTests {
    /// The repository root, found from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().standardizedFileURL.path

    private func request(
        _ name: String = "edge-finder", _ kind: ScaffoldRequest.Kind = .strategy, _ language: ScaffoldRequest.Language = .swift
    ) throws -> ScaffoldRequest {
        ScaffoldRequest(name: try PluginName(name), kind: kind, language: language, sdk: try SDKLocation(root: Self.root))
    }

    // MARK: - Names

    @Test func derivesTheSwiftModuleAndTheCIdentifier() throws {
        let name = try PluginName("mean-reversion-2")
        #expect(name.moduleName == "MeanReversion2")
        #expect(name.cIdentifier == "mean_reversion_2")
        #expect(try PluginName("rsi").moduleName == "Rsi")
    }

    @Test(arguments: [
        ("", "the name is empty"),
        ("Edge", "'E' at position 1 is not allowed; use lower-case letters, digits and '-' (names are lower-case)"),
        ("edge_finder", "'_' at position 5 is not allowed"),
        ("edge finder", "' ' at position 5 is not allowed"),
        ("9lives", "it must start with a letter"),
        ("-edge", "it must start with a letter"),
        ("edge-", "it must not end with '-'"),
        ("edge--finder", "it must not contain '--'"),
        ("nightshift-kit", "its Swift module would be NightshiftKit"),
        ("foundation", "its Swift module would be Foundation"),
        (String(repeating: "a", count: 65), "it is 65 characters long; at most 64 are allowed"),
    ])
    func refusesABadNameSayingWhy(name: String, reason: String) {
        let error = #expect(throws: ScaffoldError.self) { try PluginName(name) }
        #expect(error?.code == .invalidName)
        #expect(error?.message.hasPrefix("invalid plugin name '\(name)': ") == true)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func refusesAnUnknownKindOrLanguageListingTheChoices() {
        let kind = #expect(throws: ScaffoldError.self) { try ScaffoldRequest.Kind(parsing: "market-maker") }
        #expect(kind?.message == "unknown plugin kind 'market-maker'; expected one of strategy, source, broker")
        let language = #expect(throws: ScaffoldError.self) { try ScaffoldRequest.Language(parsing: "rust") }
        #expect(language?.message == "unknown language 'rust'; expected one of swift, c")
    }

    // MARK: - The SDK

    @Test func findsTheCheckoutAboveABinaryBuiltInIt() throws {
        let binary = Self.root + "/.build/x86_64-unknown-linux-gnu/debug/nightshift"
        #expect(SDKLocation.locate(fromExecutable: binary)?.root == Self.root)
        #expect(SDKLocation.locate(fromExecutable: "/usr/bin/env") == nil)
    }

    @Test func refusesADirectoryThatIsNotACheckoutNamingWhatIsMissing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("not-an-sdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: ScaffoldError.self) { try SDKLocation(root: directory.path) }
        #expect(error?.code == .sdkNotFound)
        #expect(error?.message == "\(directory.path) is not a Nightshift checkout: Package.swift is missing")
    }

    // MARK: - Generated files

    @Test(arguments: ScaffoldRequest.Kind.allCases, ScaffoldRequest.Language.allCases)
    func everyTemplateIsFullyRendered(kind: ScaffoldRequest.Kind, language: ScaffoldRequest.Language) throws {
        let files = PluginScaffold.files(for: try request("edge-finder", kind, language))
        #expect(Set(files.map(\.path)).count == files.count)
        for file in files {
            #expect(!file.contents.contains("{{"), "\(file.path) has an unrendered placeholder")
        }
        let deployment = try #require(files.first { $0.path == "deployment.yaml" })
        #expect(deployment.contents.contains("plugin: edge-finder"))
        #expect(deployment.contents.contains("\"\(Self.root)/.build/debug\""))
    }

    @Test func aSwiftPackageDependsOnTheSDKByPathAndExportsOneType() throws {
        let files = Dictionary(uniqueKeysWithValues: PluginScaffold.files(for: try request()).map { ($0.path, $0.contents) })
        #expect(Set(files.keys) == [
            "Package.swift", "Sources/EdgeFinder/EdgeFinderPlugin.swift", "Sources/EdgeFinder/EdgeFinderConfig.swift",
            "Sources/EdgeFinderEntry/Entry.swift", "Tests/EdgeFinderTests/EdgeFinderTests.swift", ".gitignore",
            "deployment.yaml", "README.md",
        ])
        let manifest = try #require(files["Package.swift"])
        let identity = URL(fileURLWithPath: Self.root).lastPathComponent.lowercased()
        #expect(manifest.contains(".package(path: \"\(Self.root)\")"))
        #expect(manifest.contains(".product(name: \"NightshiftKitTesting\", package: \"\(identity)\")"))
        #expect(manifest.contains(".library(name: \"edge-finder\", type: .dynamic, targets: [\"EdgeFinderEntry\"])"))
        #expect(files["Sources/EdgeFinderEntry/Entry.swift"]?.contains(
            "@_cdecl(\"nightshift_plugin_v1\")\npublic func nightshiftPlugin() -> UnsafeRawPointer { export(EdgeFinderPlugin.self) }") == true)
        #expect(files["Sources/EdgeFinder/EdgeFinderPlugin.swift"]?.contains("public struct EdgeFinderPlugin: Strategy {") == true)
        #expect(files["Tests/EdgeFinderTests/EdgeFinderTests.swift"]?.contains("try PluginHarness(EdgeFinderPlugin.self") == true)
        #expect(files["deployment.yaml"]?.contains("plugin_dirs: [.build/debug, ") == true)
    }

    @Test(arguments: [(ScaffoldRequest.Kind.strategy, "Strategy"), (.source, "PollSource"), (.broker, "Broker")])
    func eachKindAdoptsItsProtocol(kind: ScaffoldRequest.Kind, protocolName: String) throws {
        let plugin = PluginScaffold.files(for: try request("edge-finder", kind)).first { $0.path.hasSuffix("Plugin.swift") }
        #expect(plugin?.contents.contains("public struct EdgeFinderPlugin: \(protocolName) {") == true)
    }

    @Test func aCPackageBuildsWithTheCheckoutsHeader() throws {
        let files = Dictionary(
            uniqueKeysWithValues: PluginScaffold.files(for: try request("edge-finder", .broker, .c)).map { ($0.path, $0.contents) })
        #expect(Set(files.keys) == ["edge-finder.c", "test_edge_finder.c", "Makefile", ".gitignore", "deployment.yaml", "README.md"])
        let makefile = try #require(files["Makefile"])
        #expect(makefile.contains("NIGHTSHIFT_INCLUDE ?= \(Self.root)/Sources/NightshiftABI/include\n"))
        #expect(makefile.contains("\n\t$(CC) $(CFLAGS) -shared -fPIC -I $(NIGHTSHIFT_INCLUDE) edge-finder.c -o $@\n"))
        #expect(files["edge-finder.c"]?.contains(".kinds = NS_KIND_BROKER,") == true)
        #expect(files["edge-finder.c"]?.contains(".broker = &capability_table,") == true)
        #expect(files["deployment.yaml"]?.contains("plugin_dirs: [., ") == true)
    }

    @Test func escapesTheSDKPathInTheManifest() throws {
        let sdk = FileManager.default.temporaryDirectory.appendingPathComponent("sdk \"quoted\" \\ \(UUID().uuidString)")
        let include = sdk.appendingPathComponent(SDKLocation.includeSubpath)
        try FileManager.default.createDirectory(at: include, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sdk) }
        _ = FileManager.default.createFile(atPath: sdk.appendingPathComponent("Package.swift").path, contents: Data())
        _ = FileManager.default.createFile(atPath: include.appendingPathComponent("nightshift_plugin.h").path, contents: Data())
        let request = ScaffoldRequest(name: try PluginName("q"), kind: .strategy, sdk: try SDKLocation(root: sdk.path))
        let manifest = PluginScaffold.files(for: request).first { $0.path == "Package.swift" }?.contents ?? ""
        let escaped = sdk.path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        #expect(manifest.contains(".package(path: \"\(escaped)\")"))
    }

    // MARK: - Writing

    @Test func writesIntoAnEmptyDirectoryAndRefusesToOverwrite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try PluginScaffold.write(try request("edge-finder", .source, .c), into: directory.path)
        #expect(written.contains("edge-finder.c"))
        let source = try String(contentsOf: directory.appendingPathComponent("edge-finder.c"), encoding: .utf8)
        #expect(source.contains("NS_KIND_POLL_SOURCE"))

        let again = #expect(throws: ScaffoldError.self) {
            try PluginScaffold.write(try request("edge-finder", .source, .c), into: directory.path)
        }
        #expect(again?.code == .outputInUse)
        #expect(again?.message.contains("is not empty") == true)
        // Nothing was overwritten.
        #expect(try String(contentsOf: directory.appendingPathComponent("edge-finder.c"), encoding: .utf8) == source)
    }

    @Test func refusesAnOutputDirectoryWithTheSDKsPackageIdentity() throws {
        let identity = URL(fileURLWithPath: Self.root).lastPathComponent
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let error = #expect(throws: ScaffoldError.self) {
            try PluginScaffold.write(try request(), into: parent.appendingPathComponent(identity).path)
        }
        #expect(error?.message.contains("same SwiftPM identity") == true)
    }
}
