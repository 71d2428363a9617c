import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real systemd decides what happens to a `Type=notify` service: these tests boot one per test in private
/// namespaces (scripts/systemd-sandbox.sh) and run the sd_notify stand-in (scripts/systemd/notify-stand-in.py)
/// under the restart policy of config/nightshift.service, with short timings (RestartSec=1, WatchdogSec=2).
///
/// `SystemdSandbox` below is the way any test drives the sandbox: write units into a directory, `start` it,
/// `systemctl` into it, `waitFor` a unit property, `stop` it.
@Suite("SystemdSandbox", .serialized)
struct SystemdSandboxTests {
    @Test("A SIGKILLed notify service is restarted after RestartSec, with a new main process")
    func killedServiceRestarts() throws {
        let sandbox = try SystemdSandbox.start(units: [SystemdStandIn.unitName: SystemdStandIn.unit()])
        defer { sandbox.stop() }

        try sandbox.systemctl("start", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "active"))
        let firstPID = try sandbox.property(SystemdStandIn.unitName, "MainPID")

        try sandbox.systemctl("kill", "--kill-who=main", "--signal=SIGKILL", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "NRestarts", "1"))
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "active"))
        #expect(try sandbox.property(SystemdStandIn.unitName, "MainPID") != firstPID)
    }

    @Test("Exit 78 (configuration error) leaves the unit failed and never restarts it")
    func configurationErrorIsNotRestarted() throws {
        let sandbox = try SystemdSandbox.start(units: [SystemdStandIn.unitName: SystemdStandIn.unit()])
        defer { sandbox.stop() }

        try sandbox.systemctl("start", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "active"))
        try sandbox.systemctl("kill", "--kill-who=main", "--signal=SIGUSR1", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "failed"))
        #expect(try sandbox.property(SystemdStandIn.unitName, "ExecMainStatus") == "78")
        #expect(try sandbox.property(SystemdStandIn.unitName, "Result") == "exit-code")
        // Twice RestartSec later a restart would long have happened.
        Thread.sleep(forTimeInterval: 2)
        #expect(try sandbox.property(SystemdStandIn.unitName, "NRestarts") == "0")
        #expect(try sandbox.property(SystemdStandIn.unitName, "ActiveState") == "failed")
    }

    @Test("A service that stops feeding the watchdog is killed with Result=watchdog and restarted")
    func starvedWatchdogRestarts() throws {
        let sandbox = try SystemdSandbox.start(units: [SystemdStandIn.unitName: SystemdStandIn.unit()])
        defer { sandbox.stop() }

        try sandbox.systemctl("start", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "active"))
        try sandbox.systemctl("kill", "--kill-who=main", "--signal=SIGUSR2", SystemdStandIn.unitName)
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "NRestarts", "1"))
        // ExecStopPost= recorded $SERVICE_RESULT of the run that stalled.
        #expect(try sandbox.run("cat", SystemdStandIn.resultsFile).hasPrefix("watchdog "))
        #expect(try sandbox.waitFor(SystemdStandIn.unitName, "ActiveState", "active"))
    }
}

// MARK: - The stand-in service

/// The unit under test: the sd_notify stand-in under nightshift.service's restart policy, with short timings.
enum SystemdStandIn {
    static let unitName = "nightshift-standin.service"
    static let resultsFile = "/run/nightshift-standin.results"

    static func unit() -> String {
        """
        [Unit]
        DefaultDependencies=no

        [Service]
        Type=notify
        NotifyAccess=main
        ExecStart=/usr/bin/python3 \(SystemdSandbox.repositoryRoot)/scripts/systemd/notify-stand-in.py
        ExecStopPost=/bin/sh -c 'echo "$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS" >>\(resultsFile)'
        Restart=always
        RestartSec=1
        WatchdogSec=2
        RestartPreventExitStatus=78
        TimeoutStopSec=5

        """
    }
}

// MARK: - Driving the sandbox

/// A running sandbox: a real systemd as PID 1 of private PID, mount and cgroup namespaces.
struct SystemdSandbox {
    /// The sandbox's systemd, as a PID of this machine; the handle every command needs.
    let pid: String
    /// The directory its units are loaded from (removed by `stop()`).
    let unitDirectory: String

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = repositoryRoot + "/scripts/systemd-sandbox.sh"

    /// Writes the units (file name to contents) into a fresh directory and boots a sandbox on it.
    static func start(units: [String: String]) throws -> SystemdSandbox {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-units-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, contents) in units {
            try contents.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let started = try execute([script, "start", directory])
        guard started.status == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw SandboxError(command: "start", output: started.output)
        }
        return SystemdSandbox(pid: started.output.trimmingCharacters(in: .whitespacesAndNewlines),
                              unitDirectory: directory)
    }

    /// Runs a command inside the sandbox and returns its standard output.
    @discardableResult
    func run(_ arguments: String...) throws -> String {
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
        guard result.status == 0 else { throw SandboxError(command: "systemctl", output: result.output) }
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

        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/bash"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
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
