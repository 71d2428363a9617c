import Foundation

/// One event line the host printed: its type, instance, message and fields.
struct HostEvent: @unchecked Sendable {
    var type: String
    var instance: String
    var message: String
    /// The event's fields as parsed JSON (numbers are `Int` or `Double`).
    var fields: [String: Any]

    init?(line: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
            let type = object["type"] as? String
        else { return nil }
        self.type = type
        instance = object["instance"] as? String ?? ""
        message = object["message"] as? String ?? ""
        fields = object["fields"] as? [String: Any] ?? [:]
    }

    func string(_ key: String) -> String? { fields[key] as? String }
    func int(_ key: String) -> Int? { fields[key] as? Int }
    func double(_ key: String) -> Double? { (fields[key] as? Double) ?? (fields[key] as? Int).map(Double.init) }
}

/// `nightshift run` as a child process whose JSON event lines are read while it runs.
///
/// A test can wait for the events that tell its story (``wait(for:until:)``) instead of sleeping a fixed time, then
/// ``finish()`` waits for the host to end by itself (`--for`) and returns everything it printed.
final class HostRun: @unchecked Sendable {
    struct Result {
        var status: Int32
        var events: [HostEvent]
        var stderr: String
    }

    private let process: Process
    private let condition = NSCondition()
    private var lines: [HostEvent] = []
    private var pending = Data()
    private var ended = false
    private var errorText = Data()
    private let readers = DispatchGroup()

    private init(process: Process) {
        self.process = process
    }

    /// Starts `nightshift run <config> --for <duration>` with `environment` added to this process's environment.
    ///
    /// - Parameter wrapper: a command that execs the host as its last arguments (e.g. `unshare … sh -c '…' …`), so
    ///   the host keeps the wrapper's PID.
    static func start(
        config: String, for duration: String, environment: [String: String] = [:], wrapper: [String] = []
    ) throws -> HostRun {
        let process = Process()
        let command = [CLIProcess.binary, "run", config, "--for", duration]
        process.executableURL = URL(fileURLWithPath: wrapper.isEmpty ? CLIProcess.binary : "/usr/bin/env")
        process.arguments = wrapper.isEmpty ? Array(command.dropFirst()) : wrapper + command
        var merged = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "CREDENTIALS_DIRECTORY"] {
            merged.removeValue(forKey: name)
        }
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let run = HostRun(process: process)
        try process.run()
        run.read(out.fileHandleForReading, err.fileHandleForReading)
        return run
    }

    private func read(_ out: FileHandle, _ err: FileHandle) {
        readers.enter()
        let stdoutReader = Thread { [self] in
            defer { readers.leave() }
            while true {
                let chunk = out.availableData
                condition.lock()
                if chunk.isEmpty {
                    ended = true
                } else {
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        if let event = HostEvent(line: line) { lines.append(event) }
                    }
                }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
        stdoutReader.start()
        readers.enter()
        DispatchQueue.global().async { [self] in
            defer { readers.leave() }
            let data = err.readDataToEndOfFile()
            condition.withLock { errorText = data }
        }
    }

    /// The events printed so far.
    var events: [HostEvent] { condition.withLock { lines } }

    /// Waits until `predicate` holds for the events printed so far, the host's output ends, or `limit` passes.
    ///
    /// - Returns: whether the predicate held.
    @discardableResult
    func wait(for limit: Duration, until predicate: ([HostEvent]) -> Bool) -> Bool {
        let (seconds, attoseconds) = limit.components
        let deadline = Date().addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if predicate(lines) { return true }
            if ended || !condition.wait(until: deadline) { return predicate(lines) }
        }
    }

    /// Waits for the host to exit by itself and returns its status and everything it printed.
    func finish() -> Result {
        process.waitUntilExit()
        readers.wait()
        return condition.withLock {
            Result(status: process.terminationStatus, events: lines, stderr: String(decoding: errorText, as: UTF8.self))
        }
    }

    /// Sends `signal` to the host by its PID (SIGTERM: a clean stop, as `systemctl stop` asks).
    func signal(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Ends the host early by its PID (only for cleanup after a failed expectation).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

extension Array where Element == HostEvent {
    /// The events of `type`, optionally only those from `instance`.
    func of(_ type: String, from instance: String? = nil) -> [HostEvent] {
        filter { $0.type == type && (instance == nil || $0.instance == instance) }
    }
}
