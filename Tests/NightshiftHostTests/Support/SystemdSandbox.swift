import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A running sandbox: a real systemd as PID 1 of private PID, mount and cgroup namespaces (scripts/systemd-sandbox.sh).
///
/// Write units into a directory, `start` it, `systemctl` into it, `waitFor` a unit property, `stop` it. Everything
/// the sandbox writes under /etc, /var, /run and /tmp stays in its own memory; its bookkeeping (console log, cgroup
/// name) lives under the build directory, so a test leaves nothing on the machine.
struct SystemdSandbox {
    /// The sandbox's systemd, as a PID of this machine; the handle every command needs.
    let pid: String
    /// The directory its units are loaded from (removed by `stop()`).
    let unitDirectory: String

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let script = repositoryRoot + "/scripts/systemd-sandbox.sh"
    /// Where the script keeps a running sandbox's state (`NIGHTSHIFT_SANDBOX_STATE`): the build directory, not /var.
    static let stateRoot = repositoryRoot + "/.build/systemd-sandbox"

    /// Writes the units (file name to contents) into a fresh directory and boots a sandbox on it.
    ///
    /// - Parameter keep: Machine directories the sandbox must see as they are (anything under /tmp or /var/tmp
    ///   a test hands to it; inside, those are fresh tmpfs).
    static func start(units: [String: String], keep: [String] = []) throws -> SystemdSandbox {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-units-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, contents) in units {
            try contents.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        // The checkout stays visible inside the sandbox wherever it is (CI may clone it under /tmp, which the sandbox
        // covers with a fresh tmpfs), so scripts and build products can be reached from the sandbox's processes.
        let kept = [repositoryRoot] + keep
        let started = try execute([script, "start"] + kept.flatMap { ["--keep", $0] } + [directory])
        guard started.status == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw SandboxError(command: "start", output: started.output)
        }
        return SystemdSandbox(pid: started.output.trimmingCharacters(in: .whitespacesAndNewlines),
                              unitDirectory: directory)
    }

    /// Runs a command inside the sandbox and returns its standard output.
    @discardableResult
    func run(_ arguments: String...) throws -> String { try run(arguments) }

    /// Runs a command inside the sandbox and returns its standard output.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try Self.execute([Self.script, "exec", pid] + arguments)
        guard result.status == 0 else {
            throw SandboxError(command: arguments.joined(separator: " "), output: result.output)
        }
        return result.output
    }

    /// Runs `systemctl` inside the sandbox.
    @discardableResult
    func systemctl(_ arguments: String...) throws -> String {
        let result = try Self.execute([Self.script, "exec", pid, "systemctl"] + arguments)
        guard result.status == 0 else {
            throw SandboxError(command: "systemctl " + arguments.joined(separator: " "), output: result.output)
        }
        return result.output
    }

    /// One property of a unit, as `systemctl show -p NAME --value` prints it.
    func property(_ unit: String, _ name: String) throws -> String {
        try systemctl("show", "-p", name, "--value", unit).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls until the unit's property has the value; false if it does not within the timeout.
    func waitFor(_ unit: String, _ name: String, _ value: String, timeoutSeconds: Int = 15) throws -> Bool {
        try Self.execute([Self.script, "wait", pid, unit, "\(name)=\(value)", String(timeoutSeconds)]).status == 0
    }

    /// Polls a unit's property every 0.1 s until `accept` takes it; returns the accepted value, or nil on timeout.
    func waitUntil(
        _ unit: String, _ name: String, timeoutSeconds: Double = 15, _ accept: (String) -> Bool
    ) throws -> String? {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        repeat {
            let value = try property(unit, name)
            if accept(value) { return value }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return nil
    }

    /// Kills the sandbox's systemd (and with it everything inside) and removes the unit directory.
    func stop() {
        _ = try? Self.execute([Self.script, "stop", pid])
        try? FileManager.default.removeItem(atPath: unitDirectory)
    }

    /// Runs the script; returns its exit status and standard output (with standard error appended on failure).
    ///
    /// posix_spawn with output to files, not Foundation's Process and pipes: the sandbox outlives the command that
    /// starts it, and nothing here may depend on which descriptors a long-lived child inherits.
    static func execute(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-sandbox-\(UUID())").path
        let outputPath = base + ".out"
        let errorPath = base + ".err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var environment = ProcessInfo.processInfo.environment
        environment["NIGHTSHIFT_SANDBOX_STATE"] = stateRoot
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/bash"] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw SandboxError(command: arguments.joined(separator: " "), output: "posix_spawn: \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}

        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS: a signal-terminated script counts as a failure.
        let exitStatus: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitStatus != 0 else { return (0, output) }
        return (exitStatus, output + ((try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""))
    }

    struct SandboxError: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "systemd-sandbox \(command) failed: \(output)" }
    }
}
