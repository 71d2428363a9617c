import Foundation

/// Runs a program to its end and keeps what it printed.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on a full pipe.
public enum ProgramRun {
    /// What a finished program left behind.
    public struct Result: CustomStringConvertible, Sendable {
        public var status: Int32
        /// Whether the program was killed by a signal (`status` is then the signal number).
        public var signaled: Bool
        public var stdout: String
        public var stderr: String

        public init(status: Int32, signaled: Bool, stdout: String, stderr: String) {
            self.status = status
            self.signaled = signaled
            self.stdout = stdout
            self.stderr = stderr
        }

        public var succeeded: Bool { status == 0 && !signaled }
        public var description: String {
            "\(signaled ? "signal" : "exit") \(status)\nstdout:\n\(stdout.suffix(4000))\nstderr:\n\(stderr.suffix(4000))"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `program` (a path, or a name looked up on PATH through `/usr/bin/env`) and waits for it.
    public static func run(
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

    /// Runs a tool found on PATH, e.g. `swift`, `make`, `python3`.
    public static func tool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, in: directory)
    }
}
