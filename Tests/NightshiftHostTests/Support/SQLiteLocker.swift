import Foundation

/// A `python3` process holding SQLite's write lock on a database (`BEGIN EXCLUSIVE`) until released.
final class SQLiteLocker: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    /// Returns once the lock is held.
    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
            db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            db.execute("COMMIT")
            """, path]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("locked") else { throw MetricsProbe.Failure(description: "the locker said '\(line)'") }
    }

    /// Ends the transaction and lets the process exit.
    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Ends the process by its PID (cleanup after a failed expectation).
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
