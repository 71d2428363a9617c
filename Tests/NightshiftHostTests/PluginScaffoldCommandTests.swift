import Foundation
import Testing

/// `nightshift plugin new` on the command line: usage errors exit 64 naming the problem; success says what to do next.
@Suite struct PluginScaffoldCommandTests {
    private func workspace() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: [
        (["My_Plugin", "--kind", "strategy"], "invalid plugin name 'My_Plugin': 'M' at position 1 is not allowed"),
        (["edge", "--kind", "market-maker"], "unknown plugin kind 'market-maker'; expected one of strategy, source, broker"),
        (["edge", "--kind", "broker", "--lang", "rust"], "unknown language 'rust'; expected one of swift, c"),
        (["edge"], "missing required option '--kind <strategy|source|broker>'"),
        (["--kind", "broker"], "missing expected argument '<name>'"),
        (["edge", "--kind", "broker", "--sdk", "/nonexistent"], "/nonexistent is not a Nightshift checkout: Package.swift is missing"),
        (["edge", "--kind", "broker", "--flavour", "x"], "unknown option '--flavour'"),
    ])
    func usageErrorsExit64NamingTheProblem(arguments: [String], message: String) throws {
        let directory = try workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.nightshift(["plugin", "new"] + arguments, in: directory)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("Error: \(message)"), "\(result)")
        #expect(result.stderr.contains("See 'nightshift help plugin'."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func createsThePackageInTheCurrentDirectoryByDefaultAndRefusesToOverwriteIt() throws {
        let directory = try workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sdk = CPluginBuilder.root.standardizedFileURL.path
        let first = try CommandRunner.nightshift(
            ["plugin", "new", "edge", "--kind", "source", "--lang", "c", "--sdk", sdk], in: directory)
        #expect(first.succeeded, "\(first)")
        let package = directory.appendingPathComponent("edge")
        #expect(first.stdout.contains("  edge.c\n"))
        #expect(first.stdout.contains("make && make test"))
        #expect(first.stdout.contains("nightshift check deployment.yaml"))
        let makefile = try String(contentsOf: package.appendingPathComponent("Makefile"), encoding: .utf8)
        #expect(makefile.contains("NIGHTSHIFT_INCLUDE ?= \(sdk)/Sources/NightshiftABI/include"))

        let second = try CommandRunner.nightshift(["plugin", "new", "edge", "--kind", "broker", "--lang", "c"], in: directory)
        #expect(second.status == 64)
        #expect(second.stderr.contains("output directory \(package.path) exists and is not empty"))
        let source = try String(contentsOf: package.appendingPathComponent("edge.c"), encoding: .utf8)
        #expect(source.contains("NS_KIND_POLL_SOURCE"))  // still the first package
    }

    @Test func helpDescribesNew() throws {
        let result = try CommandRunner.nightshift(["help", "plugin"])
        #expect(result.succeeded)
        #expect(result.stdout.contains("nightshift plugin new <name> --kind <strategy|source|broker>"))
        #expect(result.stdout.contains("--sdk <path>"))
    }
}
