import Foundation
import NightshiftTestSupport
import Testing

/// Runs programs for the tests that drive real tools: the built `nightshift` binary, `swift build`, `make`
/// (through `ProgramRun`, which keeps their output in files).
enum CommandRunner {
    typealias Result = ProgramRun.Result

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The directory holding the test bundle, where SwiftPM also puts the `nightshift` binary and plugin libraries.
    static var productsDirectory: URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    /// The `nightshift` binary built next to the test bundle.
    static func nightshift() throws -> URL {
        let binary = productsDirectory.appendingPathComponent("nightshift")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "no nightshift binary in \(productsDirectory.path); build the package first")
        }
        return binary
    }

    /// Runs the built `nightshift` with `arguments`.
    static func nightshift(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        try run(nightshift(), arguments, in: directory)
    }

    /// Runs `program` (a path, or a name looked up on PATH through `/usr/bin/env`) and waits for it.
    static func run(
        _ program: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil
    ) throws -> Result {
        try ProgramRun.run(program, arguments, in: directory, environment: environment)
    }

    /// Runs a tool found on PATH, e.g. `swift`, `make`, `cc`.
    static func tool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        try ProgramRun.tool(name, arguments, in: directory)
    }
}
