import Foundation

/// An Alpaca simulator from `scripts/sims/` running as a child process on 127.0.0.1.
///
/// The simulator prints its port as the first line of stdout; `start` waits for that line. It holds our end of its
/// stdin (`--watch-stdin`), so it exits with the test process; `stop()` ends it by its PID and reaps it.
final class AlpacaSimProcess {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The port the simulator listens on.
    let port: Int
    private let process: Process
    private let input: Pipe

    private init(process: Process, input: Pipe, port: Int) {
        self.process = process
        self.input = input
        self.port = port
    }

    /// The repository's `scripts/sims` folder, found from this file's location.
    static let simsDirectory = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "scripts/sims")

    /// Starts `scripts/sims/<script>` with `python3` from PATH and waits for its port.
    static func start(_ script: String, arguments: [String] = []) throws -> AlpacaSimProcess {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", simsDirectory.appending(path: script).path, "--watch-stdin"] + arguments
        let output = Pipe()
        // A file, not a pipe: nobody drains stderr while the test runs, and a full pipe would stall the simulator.
        let errorLog = FileManager.default.temporaryDirectory.appending(path: "nightshift-sim-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text.split(separator: "\n").first ?? "") else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw StartupError(description: "\(script) did not print a port: \(text) \(stderr)")
        }
        return AlpacaSimProcess(process: process, input: input, port: port)
    }

    /// Kills the simulator by its PID and waits for it to exit.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs `body` with a started simulator and always stops it afterwards.
    static func with<T>(
        _ script: String, arguments: [String] = [], _ body: (AlpacaSimProcess) throws -> T
    ) throws -> T {
        let sim = try start(script, arguments: arguments)
        defer { sim.stop() }
        return try body(sim)
    }
}
