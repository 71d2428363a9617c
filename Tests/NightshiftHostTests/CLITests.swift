import Foundation
import Testing

/// The command line's contract: help layout, version, usage errors (64) and configuration errors (78).
@Suite struct CLITests {
    @Test func helpIsInTheArgumentParserLayoutOnStdout() throws {
        for arguments in [["--help"], ["-h"], []] {
            let result = try CLIProcess.run(arguments)
            #expect(result.status == 0)
            for section in ["OVERVIEW:", "USAGE:", "OPTIONS:", "SUBCOMMANDS:"] { #expect(result.stdout.contains(section)) }
            #expect(result.stderr.isEmpty)
        }
        let run = try CLIProcess.run(["help", "run"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: nightshift run <config.yaml>"))
        let check = try CLIProcess.run(["check", "--help"])
        #expect(check.stdout.contains("OVERVIEW: Loads and validates"))
    }

    @Test func versionNamesTheABI() throws {
        let result = try CLIProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("plugin ABI 1."))
    }

    @Test(arguments: [
        (["frobnicate"], "unknown subcommand 'frobnicate'"),
        (["run"], "missing expected argument '<config.yaml>'"),
        (["run", "a.yaml", "b.yaml"], "unexpected argument 'b.yaml'"),
        (["check", "--bogus", "a.yaml"], "unknown option '--bogus'"),
        (["run", "a.yaml", "--for"], "missing value for option '--for'"),
        (["run", "a.yaml", "--for", "soon"], "invalid duration 'soon'"),
        (["plugin", "inspect"], "missing expected argument '<file.so>'"),
        (["events", "summary"], "missing required option '--config"),
        (["help", "nothing"], "unknown subcommand 'nothing'"),
    ])
    func usageErrorsExit64OnStderr(arguments: [String], message: String) throws {
        let result = try CLIProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains("Error: \(message)"))
        #expect(result.stdout.isEmpty)
    }

    @Test func inspectPrintsTheInfoOfARealPlugin() throws {
        let path = CLIProcess.productsDirectory.appendingPathComponent("libsynthetic-quotes.so").path
        let table = try CLIProcess.run(["plugin", "inspect", path])
        #expect(table.status == 0, "stderr: \(table.stderr)")
        #expect(table.stdout.contains("synthetic-quotes"))
        #expect(table.stdout.contains("poll-source"))
        let json = try CLIProcess.run(["plugin", "inspect", path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "synthetic-quotes")
        #expect(object["kinds"] as? [String] == ["poll-source"])
        #expect((object["config_schema"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func inspectOfARefusedFileIsAConfigurationError() throws {
        let result = try CLIProcess.run(["plugin", "inspect", "/nonexistent/libnothing.so"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("/nonexistent/libnothing.so"))
    }
}
