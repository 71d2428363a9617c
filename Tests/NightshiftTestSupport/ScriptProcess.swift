import Foundation
import Glibc

/// A Python script from the repository's `scripts/` folder (a test peer or an API simulator) running as a child process
/// on 127.0.0.1.
///
/// The script prints its ephemeral port as the first line of stdout; `start` waits for that line. It runs with
/// `--watch-stdin` and this process holds the other end of its stdin, so it exits with the test process even after a
/// crash. `stop()` ends it with SIGKILL by its PID (children of the test runner inherit a blocked SIGTERM) and reaps
/// it. Simulators' control routes (`/_sim/...`) are reached with ``request(_:_:json:)``, ``stats()`` and
/// ``counters()``.
public final class ScriptProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The port the script listens on.
    public let port: Int
    private let process: Process
    /// Held open, never written: when this process dies the script reads end of file and exits.
    private let input: Pipe

    private init(process: Process, input: Pipe, port: Int) {
        self.process = process
        self.input = input
        self.port = port
    }

    /// `http://127.0.0.1:<port>`.
    public var origin: String { "http://127.0.0.1:\(port)" }

    /// The repository's `scripts` folder, found from this file's location.
    public static var scriptsDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts")
    }

    // MARK: - Lifecycle

    /// Starts `scripts/<script>` (e.g. `peers/http_peer.py`, `sims/kalshi_sim.py`) with `python3` from PATH and waits
    /// for its port.
    public static func start(_ script: String, arguments: [String] = []) throws -> ScriptProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", scriptsDirectory.appendingPathComponent(script).path, "--watch-stdin"] + arguments
        let output = Pipe()
        // A file, not a pipe: nobody drains stderr while the test runs, and a full pipe would stall the script.
        let errorLog = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-script-\(UUID().uuidString).log")
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
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) did not print a port: \(text) \(stderr)")
        }
        return ScriptProcess(process: process, input: input, port: port)
    }

    /// Kills the script by its PID and waits for it to exit.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    // MARK: - Control routes

    /// Sends `method path` (with an optional JSON body) to the script and returns its answer.
    ///
    /// Without a body the request is a bare GET-style request with no `Content-Length`, which every simulator's
    /// HTTP parser accepts.
    public func request(_ method: String, _ path: String, json: String? = nil) throws -> LoopbackResponse {
        try LoopbackResponse.fetch(port: port, method: method, path: path, body: json.map { Array($0.utf8) })
    }

    /// The simulator's whole `GET /_sim/stats` object, nested objects included.
    public func stats() throws -> [String: Any] {
        let response = try request("GET", "/_sim/stats")
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else {
            throw Failure(description: "/_sim/stats on port \(port) answered HTTP \(response.status): \(response.text)")
        }
        return object
    }

    /// The simulator's top-level integer counters from `GET /_sim/stats` (nested objects and other values left out).
    public func counters() throws -> [String: Int] {
        try stats().compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}
