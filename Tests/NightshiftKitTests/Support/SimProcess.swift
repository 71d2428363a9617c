import Foundation
import Glibc
import Testing

/// A simulator from `scripts/sims/` running as a child process on 127.0.0.1.
///
/// The simulator prints its ephemeral port as the first line of stdout; `start` waits for that line. With
/// `--watch-stdin` it exits when this process does; `stop()` ends it by its PID and reaps it.
final class SimProcess {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let process: Process
    private let input: Pipe

    private init(process: Process, input: Pipe, port: Int) {
        self.process = process
        self.input = input
        self.port = port
    }

    /// `http://127.0.0.1:<port>`.
    var origin: String { "http://127.0.0.1:\(port)" }

    /// The repository's `scripts/sims` folder.
    static var simsDirectory: URL {
        BuildProducts.repositoryRoot.appending(path: "scripts/sims")
    }

    /// Starts `scripts/sims/<script>` with `python3` and waits for its port.
    static func start(_ script: String, arguments: [String] = []) throws -> SimProcess {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", simsDirectory.appending(path: script).path, "--watch-stdin"] + arguments
        let output = Pipe()
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
        let text = String(decoding: line, as: UTF8.self)
        guard let port = Int(text.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces) ?? "") else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw StartupError(description: "\(script) did not print a port: \(text) \(stderr)")
        }
        return SimProcess(process: process, input: input, port: port)
    }

    /// Kills the simulator by PID and waits for it to exit.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The simulator's `/_sim/stats` counters.
    func stats() throws -> [String: Any] {
        let response = LoopbackHTTP.perform(.get("\(origin)/_sim/stats"))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }
}

/// Runs `body` with a started simulator and always stops it afterwards.
func withSim<T>(_ script: String, arguments: [String] = [], _ body: (SimProcess) throws -> T) throws -> T {
    let sim = try SimProcess.start(script, arguments: arguments)
    defer { sim.stop() }
    return try body(sim)
}
