import Foundation
import Testing

/// `plugin new` end to end, as a plugin author runs it: generate, build, run the generated tests, and load the
/// result with `nightshift check` on the generated deployment.
///
/// The Swift test is slow — the generated packages compile the SDK — so it is one test doing every kind in turn,
/// sharing one SwiftPM scratch directory (kept under the package's `.build`, so reruns reuse the compiled SDK), and
/// building the library and the tests in one `swift build --build-tests`. It prints how long each step took. The
/// generated deployments name the checkout's `.build/debug` for the plugins that ship with Nightshift, which the
/// build that produced this test bundle has put there.
@Suite struct PluginScaffoldBuildTests {
    static let kinds = ["strategy", "source", "broker"]

    /// A fresh directory for generated packages, removed by `remove()`.
    private static func workspace() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The scratch directory shared by the generated Swift packages.
    private static var sharedScratch: URL {
        CommandRunner.productsDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("plugin-scaffold-scratch")
    }

    /// Runs `nightshift plugin new` and checks it succeeded.
    private func generate(_ name: String, kind: String, language: String, in workspace: URL) throws -> URL {
        let package = workspace.appendingPathComponent(name)
        let result = try CommandRunner.nightshift(
            ["plugin", "new", name, "--kind", kind, "--lang", language, "--output", package.path])
        try #require(result.succeeded, "plugin new failed: \(result)")
        #expect(result.stdout.contains("Created \(language) \(kind) plugin '\(name)' in \(package.path):"))
        return package
    }

    /// Runs `nightshift check` on the generated deployment and checks the plugin is in the plan.
    private func check(_ package: URL, name: String, kinds: String) throws {
        let result = try CommandRunner.nightshift(["check", "deployment.yaml"], in: package)
        #expect(result.succeeded, "nightshift check failed: \(result)")
        #expect(result.stdout.contains("deployment deployment.yaml: OK"), "\(result)")
        #expect(result.stdout.contains("\(name) 0.1.0 [\(kinds)"), "\(result)")
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.1fs", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    @Test func swiftPackagesOfEveryKindBuildPassTheirTestsAndLoad() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let scratch = Self.sharedScratch.path
        let clock = ContinuousClock()
        var timings: [String] = []
        let total = try clock.measure {
            for kind in Self.kinds {
                let name = "scaffold-\(kind)"
                let package = try generate(name, kind: kind, language: "swift", in: workspace)
                var build = CommandRunner.Result(status: -1, signaled: false, stdout: "", stderr: "")
                let buildTime = try clock.measure {
                    build = try CommandRunner.tool("swift", ["build", "--build-tests", "--scratch-path", scratch], in: package)
                }
                try #require(build.succeeded, "swift build of the \(kind) package failed: \(build)")
                var test = build
                let testTime = try clock.measure {
                    test = try CommandRunner.tool("swift", ["test", "--skip-build", "--scratch-path", scratch], in: package)
                }
                #expect(test.succeeded, "the generated \(kind) tests failed: \(test)")
                #expect(test.stdout.contains("tests in 1 suite passed"), "\(test)")
                // The generated deployment looks in .build/debug, where a plain `swift build` would have put it.
                try FileManager.default.createSymbolicLink(
                    atPath: package.appendingPathComponent(".build").path, withDestinationPath: scratch)
                let library = package.appendingPathComponent(".build/debug/lib\(name).so").path
                let inspect = try CommandRunner.nightshift(["plugin", "inspect", library, "--json"])
                #expect(inspect.succeeded, "\(inspect)")
                let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
                let kinds = kind == "source" ? "poll-source" : kind
                #expect(json?["kinds"] as? [String] == [kinds])
                try check(package, name: name, kinds: kinds)
                timings.append("\(kind): build \(Self.seconds(buildTime)), test \(Self.seconds(testTime))")
            }
        }
        print("plugin new (swift) end to end: \(Self.seconds(total)) [\(timings.joined(separator: "; "))]")
    }

    @Test func cPackagesOfEveryKindBuildPassTheirTestsAndLoad() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace) }
        for kind in Self.kinds {
            let name = "scaffold-c-\(kind)"
            let package = try generate(name, kind: kind, language: "c", in: workspace)
            let build = try CommandRunner.tool("make", [], in: package)
            try #require(build.succeeded, "make of the \(kind) package failed: \(build)")
            let test = try CommandRunner.tool("make", ["test"], in: package)
            #expect(test.succeeded, "make test of the \(kind) package failed: \(test)")
            #expect(!test.stdout.contains("not ok"), "\(test)")
            let summary = test.stdout.split(separator: "\n").last { $0.hasSuffix("checks passed") }
            let counts = summary?.split(separator: " ").compactMap { Int($0) } ?? []
            #expect(counts.count == 2 && counts[0] == counts[1] && counts[0] >= 10, "\(test)")
            try check(package, name: name, kinds: kind == "source" ? "poll-source" : kind)
        }
    }
}
