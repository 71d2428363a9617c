import Foundation

/// Runs the built `nightshift` binary as a child process, the way a user or systemd would.
struct CLIProcess {
    /// The build products directory (where `swift build` put the CLI and the Swift plugins).
    static let productsDirectory: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // On Linux the test runner is `<products>/NightshiftPackageTests.xctest`; elsewhere it may sit inside a bundle.
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("nightshift").path) {
            directory = directory.deletingLastPathComponent()
        }
        if directory.path == "/" { return CPluginBuilder.root.appendingPathComponent(".build/debug") }
        return directory
    }()

    static var binary: String { productsDirectory.appendingPathComponent("nightshift").path }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `nightshift <arguments>` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = try start(arguments, environment: environment)
        return process.wait()
    }

    /// Starts `nightshift <arguments>` and returns the running child.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "NOTIFY_SOCKET")
        merged.removeValue(forKey: "WATCHDOG_USEC")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        return try launch(process)
    }

    /// Runs a prepared `process` (any program) with stdin closed and its output collected as it runs.
    static func launch(_ process: Process) throws -> Running {
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let running = Running(process: process, out: out, err: err)
        try process.run()
        running.startReading()
        return running
    }

    /// A child process whose output is collected as it runs (so a full pipe never blocks it).
    final class Running: @unchecked Sendable {
        let process: Process
        private let out: Pipe, err: Pipe
        private let lock = NSLock()
        private var outData = Data(), errData = Data()
        private let readers = DispatchGroup()

        init(process: Process, out: Pipe, err: Pipe) {
            self.process = process
            self.out = out
            self.err = err
        }

        func startReading() {
            for (pipe, isOut) in [(out, true), (err, false)] {
                readers.enter()
                DispatchQueue.global().async { [self] in
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    lock.withLock { if isOut { outData = data } else { errData = data } }
                    readers.leave()
                }
            }
        }

        /// Sends `signal` to the child (only this child, by its PID).
        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        func wait() -> Result {
            process.waitUntilExit()
            readers.wait()
            return lock.withLock {
                Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
            }
        }
    }
}

/// A private temporary directory for one test's files.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    var path: String { url.path }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
