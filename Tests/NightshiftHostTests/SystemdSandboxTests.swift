import Foundation
import Testing

/// A real systemd decides what happens to a `Type=notify` service: these tests boot one per test in private
/// namespaces (scripts/systemd-sandbox.sh) and run the sd_notify stand-in (scripts/systemd/notify-stand-in.py)
/// under the restart policy of config/nightshift.service, with short timings (RestartSec=1, WatchdogSec=2).
///
/// `SystemdSandbox` (Support/SystemdSandbox.swift) is the way any test drives the sandbox: write units into a
/// directory, `start` it, `systemctl` into it, `waitFor` a unit property, `stop` it.
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
