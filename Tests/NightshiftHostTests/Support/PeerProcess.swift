import Foundation

/// A test peer from `scripts/peers/` running as a child process on 127.0.0.1.
///
/// The peer prints its ephemeral port as the first line of stdout; `start` waits for that line. `stop()` ends the
/// process by its PID and reaps it.
final class PeerProcess: Sendable {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The port the peer listens on.
    let port: Int
    private let process: Process
    private let input: Pipe

    private init(process: Process, input: Pipe, port: Int) {
        self.process = process
        self.input = input
        self.port = port
    }

    /// The repository's `scripts/peers` folder, found from this file's location.
    static var peersDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("scripts/peers")
    }

    /// Starts `scripts/peers/<script>` with `python3` from PATH and waits for its port.
    static func start(_ script: String, arguments: [String] = []) throws -> PeerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", peersDirectory.appendingPathComponent(script).path, "--watch-stdin"] + arguments
        let output = Pipe()
        // A file, not a pipe: nobody drains stderr while the test runs, and a full pipe would stall the peer.
        let errorLog = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        // Held open by this process: if the test process dies, the peer sees end of file and exits.
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
            process.terminate()
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw StartupError(description: "peer \(script) did not print a port: \(text) \(stderr)")
        }
        return PeerProcess(process: process, input: input, port: port)
    }

    /// Kills the peer by PID and waits for it to exit.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// Runs `body` with a started peer and always stops the peer afterwards.
func withPeer<T>(
    _ script: String, arguments: [String] = [], _ body: (PeerProcess) async throws -> T
) async throws -> T {
    let peer = try PeerProcess.start(script, arguments: arguments)
    defer { peer.stop() }
    return try await body(peer)
}

/// Runs synchronous `body` with a started peer and always stops the peer afterwards.
func withPeer<T>(_ script: String, arguments: [String] = [], _ body: (PeerProcess) throws -> T) throws -> T {
    let peer = try PeerProcess.start(script, arguments: arguments)
    defer { peer.stop() }
    return try body(peer)
}
