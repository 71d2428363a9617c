import Foundation

/// A simulator from `scripts/sims/` (an HTTP API double on 127.0.0.1) running as a child process.
///
/// The simulator prints its ephemeral port as the first line of stdout; `start` waits for that line. It runs with
/// `--watch-stdin`, so it exits when this process does; `stop()` ends it by its PID and reaps it. Its control routes
/// (`/_sim/...`) are reached with ``request(_:_:json:)`` and ``stats()``.
public final class SimulatorProcess: Sendable {
    public struct StartupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The port the simulator listens on.
    public let port: Int
    private let process: Process
    private let input: Pipe

    private init(process: Process, input: Pipe, port: Int) {
        self.process = process
        self.input = input
        self.port = port
    }

    /// `http://127.0.0.1:<port>`.
    public var origin: String { "http://127.0.0.1:\(port)" }

    /// The repository's `scripts/sims` folder, found from this file's location.
    public static var simsDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/sims")
    }

    /// Starts `scripts/sims/<script>` with `python3` from PATH and waits for its port.
    public static func start(_ script: String, arguments: [String] = []) throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", simsDirectory.appendingPathComponent(script).path, "--watch-stdin"] + arguments
        let output = Pipe()
        // A file, not a pipe: nobody drains stderr while the test runs, and a full pipe would stall the simulator.
        let errorLog = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-sim-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        // Held open by this process: if the test process dies, the simulator sees end of file and exits.
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
            throw StartupError(description: "simulator \(script) did not print a port: \(text) \(stderr)")
        }
        return SimulatorProcess(process: process, input: input, port: port)
    }

    /// Kills the simulator by PID and waits for it to exit.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Sends `method path` (with an optional JSON body) to the simulator and returns its answer.
    public func request(_ method: String, _ path: String, json: String? = nil) throws -> LoopbackResponse {
        try LoopbackResponse.fetch(port: port, method: method, path: path, body: json.map { Array($0.utf8) })
    }

    /// The simulator's `GET /_sim/stats` counters.
    public func stats() throws -> [String: Any] {
        let response = try request("GET", "/_sim/stats")
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else {
            throw StartupError(description: "stats answered HTTP \(response.status): \(response.text)")
        }
        return object
    }
}

/// Runs `body` with a started simulator and always stops the simulator afterwards.
public func withSimulator<T>(
    _ script: String, arguments: [String] = [], _ body: (SimulatorProcess) async throws -> T
) async throws -> T {
    let simulator = try SimulatorProcess.start(script, arguments: arguments)
    defer { simulator.stop() }
    return try await body(simulator)
}
