import Foundation
import Glibc

/// A simulator from `scripts/sims/` running as a child process on 127.0.0.1, with its `/_sim/stats` counters.
///
/// The simulator prints its ephemeral port as the first line of stdout; `start` waits for that line. It runs with
/// `--watch-stdin` and this process holds the other end of its stdin, so it exits with the test process even after a
/// crash; `stop()` ends it by its PID and reaps it.
public final class StockSimProcess: Sendable {
    public struct Failure: Error, CustomStringConvertible {
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

    /// The repository's `scripts/sims` folder, found from this file's location.
    public static var simsDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/sims")
    }

    /// Starts `scripts/sims/<script>` with `python3` from PATH and waits for its port.
    public static func start(_ script: String, arguments: [String] = []) throws -> StockSimProcess {
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
        return StockSimProcess(process: process, input: input, port: port)
    }

    /// Kills the simulator by its PID and waits for it to exit.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The simulator's top-level integer counters from `GET /_sim/stats` (nested objects are left out).
    public func stats() throws -> [String: Int] {
        let body = try Self.get(port: port, path: "/_sim/stats")
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw Failure(description: "/_sim/stats is not a JSON object: \(body)")
        }
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    // MARK: - A plain HTTP GET

    /// The body of `GET <path>` on 127.0.0.1:`port`, over one `Connection: close` request.
    ///
    /// Raw sockets rather than a URL session: the stream simulator's HTTP parser answers only a bare GET (no
    /// `Content-Length`, no body), and this module depends on nothing but the toolchain.
    static func get(port: Int, path: String) throws -> String {
        let socket = try connected(to: port)
        defer { close(socket) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard send(socket, request, request.count, 0) == request.count else {
            throw Failure(description: "send to port \(port): errno \(errno)")
        }
        var raw: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            raw += buffer[0..<count]
        }
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 200") || text.hasPrefix("HTTP/1.0 200")
        else { throw Failure(description: "GET \(path) on port \(port): \(text.prefix(200))") }
        return String(text[split.upperBound...])
    }
}

extension StockSimProcess {
    /// Whether something accepts TCP connections on 127.0.0.1:`port`, e.g. a simulator that should have stopped.
    public static func acceptsConnections(port: Int) -> Bool {
        guard let socket = try? connected(to: port) else { return false }
        close(socket)
        return true
    }

    /// A TCP socket connected to 127.0.0.1:`port`, with a 5-second receive timeout.
    static func connected(to port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            close(socket)
            throw Failure(description: "connect to port \(port): errno \(code)")
        }
        return socket
    }
}

/// Runs `body` with started simulators and always stops them afterwards.
///
/// - Parameter simulators: `(script, arguments)` pairs, started in order.
public func withStockSims<T>(
    _ simulators: [(script: String, arguments: [String])], _ body: ([StockSimProcess]) throws -> T
) throws -> T {
    var started: [StockSimProcess] = []
    defer { started.forEach { $0.stop() } }
    for simulator in simulators {
        started.append(try StockSimProcess.start(simulator.script, arguments: simulator.arguments))
    }
    return try body(started)
}
