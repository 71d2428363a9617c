import Foundation
import Testing

/// Runs programs for the tests that drive real tools: the built `nightshift` binary, `swift build`, `make`.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on a full pipe.
enum CommandRunner {
    /// What a finished program left behind.
    struct Result: CustomStringConvertible {
        var status: Int32
        /// Whether the program was killed by a signal (`status` is then the signal number).
        var signaled: Bool
        var stdout: String
        var stderr: String

        var succeeded: Bool { status == 0 && !signaled }
        var description: String {
            "\(signaled ? "signal" : "exit") \(status)\nstdout:\n\(stdout.suffix(4000))\nstderr:\n\(stderr.suffix(4000))"
        }
    }

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
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
            FileManager.default.createFile(atPath: err.path, contents: nil)
        else { throw Failure(description: "cannot create output files in \(scratch.path)") }
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs a tool found on PATH, e.g. `swift`, `make`, `cc`.
    static func tool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, in: directory)
    }
}
