import Foundation
import Testing

/// The real `nightshift run` under the shipped config/nightshift.service in a real systemd (one sandbox per test,
/// see `SystemdHostService` and `ShippedUnit` for what is adapted): what systemd does when the host is killed,
/// stalls, meets a configuration error or is stopped, and that the sd_notify protocol reaches it.
@Suite("SystemdHost", .serialized)
struct SystemdHostTests {
    static let ticker = (source: "Tests/NightshiftHostTests/Fixtures/ticker_plugin.c", name: "libticker")
    static let faulty = (source: "Tests/NightshiftHostTests/Fixtures/faulty_strategy_plugin.c", name: "libfaulty")

    /// Synthetic quotes every 100 ms into the C ticker (one `tick` row per batch), events in SQLite in the unit's
    /// state directory; `extra` is appended to the document.
    static func deployment(_ extra: String = "") -> String {
        """
        host:
          name: systemd-test
          plugin_dirs: [\(SystemdHostService.pluginDirectory)]
          data_dir: \(ShippedUnit.stateDirectory)
          shutdown_timeout: 5s
        events: {store: sqlite, stdout: json, flush_interval: 50ms}
        instances:
          - name: quotes
            plugin: synthetic-quotes
            schedule: {every: 100ms}
            config: {symbols: [AAPL], quotes_per_cycle: 1}
          - name: ticker
            plugin: ticker
            subscribe: [quotes]
        \(extra)
        """
    }

    @Test("SIGKILL of the host: restarted after RestartSec with a new main process that reports READY again")
    func killedHostIsRestarted() throws {
        let service = try SystemdHostService.boot(deployment: Self.deployment(), cPlugins: [Self.ticker])
        defer { service.tearDown() }

        try service.sandbox.systemctl("start", SystemdHostService.unit)
        #expect(try service.property("ActiveState") == "active")
        let first = try service.property("MainPID")

        try service.sandbox.systemctl("kill", "--kill-who=main", "--signal=SIGKILL", SystemdHostService.unit)
        #expect(try service.waitFor("NRestarts", "1"))
        // Type=notify: active again only once the new process sent READY=1.
        #expect(try service.waitFor("ActiveState", "active"))
        let second = try service.property("MainPID")
        #expect(second != first && second != "0")
        #expect(try service.results() == ["signal killed KILL"])
        #expect(try !service.journal(["_PID=\(second)", "NIGHTSHIFT_EVENT_TYPE=host_started"], atLeast: 1).isEmpty)
    }

    @Test("A plugin call stalled past call_deadline: the watchdog is no longer fed, SIGABRT ends the host, restart")
    func stalledHostIsKilledByTheWatchdog() throws {
        // The faulty strategy answers 30 batches (about 3 s, longer than WatchdogSec) and then sleeps 10 s in a
        // call: 500 ms later the host stops feeding the watchdog, which fires 2 s after the last WATCHDOG=1.
        let deployment = Self.deployment("""
              - name: faulty
                plugin: faulty
                subscribe: [quotes]
                call_deadline: 500ms
                config: {stall_ms: 10000, stall_after: 30}
            """)
        let service = try SystemdHostService.boot(deployment: deployment, cPlugins: [Self.ticker, Self.faulty])
        defer { service.tearDown() }

        try service.sandbox.systemctl("start", SystemdHostService.unit)
        let first = try service.property("MainPID")
        // The healthy host feeds the watchdog: systemd records a newer WATCHDOG=1 from the same process.
        let fed = try service.property("WatchdogTimestampMonotonic")
        let fedAgain = try service.sandbox.waitUntil(SystemdHostService.unit, "WatchdogTimestampMonotonic") {
            $0 != fed
        }
        #expect(fedAgain != nil)
        #expect(try service.property("MainPID") == first)

        #expect(try service.waitFor("NRestarts", "1"))
        let results = try service.results()
        // The stalled run ended with Result=watchdog, by the watchdog's SIGABRT itself (with or without a core),
        // not by the SIGKILL that would follow TimeoutAbortSec had the host survived it.
        #expect(results.first?.hasPrefix("watchdog ") == true, "\(results)")
        #expect(results.first?.hasSuffix(" ABRT") == true, "\(results)")
        let stalled = try service.journal(["_PID=\(first)", "NIGHTSHIFT_EVENT_TYPE=plugin_stalled"],
                                          field: "NIGHTSHIFT_INSTANCE", atLeast: 1)
        #expect(stalled == ["faulty"])
        #expect(try service.waitFor("ActiveState", "active"))
        #expect(try service.property("MainPID") != first)
    }

    @Test("A configuration error: exit 78, the unit stays failed and is never restarted")
    func configurationErrorIsNotRestarted() throws {
        let deployment = Self.deployment("""
              - name: broken
                plugin: synthetic-quotes
                schedule: {every: whenever}
            """)
        let service = try SystemdHostService.boot(deployment: deployment, cPlugins: [Self.ticker])
        defer { service.tearDown() }

        // The start job fails (the host exits before READY=1): do not wait for it.
        try service.sandbox.systemctl("start", "--no-block", SystemdHostService.unit)
        #expect(try service.waitFor("ActiveState", "failed"))
        #expect(try service.property("ExecMainStatus") == "78")
        #expect(try service.property("Result") == "exit-code")
        // Twice RestartSec later a restart would long have happened.
        Thread.sleep(forTimeInterval: 2)
        #expect(try service.property("NRestarts") == "0")
        #expect(try service.property("ActiveState") == "failed")
        #expect(try service.results() == ["exit-code exited 78"])
        let log = try service.journal(["_SYSTEMD_UNIT=\(SystemdHostService.unit)"]).joined(separator: "\n")
        #expect(log.contains("whenever"), "\(log)")
    }

    @Test("systemctl stop: SIGTERM, exit 0 with Result=success, host_stopped clean=true flushed to the event store")
    func stopIsCleanAndFlushesEvents() throws {
        let service = try SystemdHostService.boot(deployment: Self.deployment(), cPlugins: [Self.ticker])
        defer { service.tearDown() }

        try service.sandbox.systemctl("start", SystemdHostService.unit)
        let pid = try service.property("MainPID")
        let runIDs = try service.journal(["_PID=\(pid)", "NIGHTSHIFT_EVENT_TYPE=host_started"],
                                         field: "NIGHTSHIFT_RUN_ID", atLeast: 1)
        let runID = try #require(runIDs.first)
        // Work is flowing before the stop.
        #expect(try service.journal(["_PID=\(pid)", "NIGHTSHIFT_EVENT_TYPE=tick"], atLeast: 5).count >= 5)

        try service.sandbox.systemctl("stop", SystemdHostService.unit)
        #expect(try service.property("ActiveState") == "inactive")
        #expect(try service.property("Result") == "success")
        #expect(try service.property("ExecMainStatus") == "0")
        #expect(try service.property("NRestarts") == "0")
        #expect(try service.results() == ["success exited 0"])
        #expect(try service.journal(["_PID=\(pid)", "NIGHTSHIFT_EVENT_TYPE=shutdown_requested"]).count == 1)

        let events = try service.storedEvents(runID: runID)
        let types = events.compactMap { $0["type"] as? String }
        #expect(types.contains("tick"))
        #expect(types.last == "host_stopped", "\(types.suffix(5))")
        let stopped = try #require(events.last { $0["type"] as? String == "host_stopped" })
        #expect((stopped["fields"] as? [String: Any])?["clean"] as? Bool == true, "\(stopped)")
    }

    @Test("The notify protocol end to end: StatusText shows the host's STATUS line, WATCHDOG=1 keeps arriving")
    func statusAndWatchdogReachSystemd() throws {
        let service = try SystemdHostService.boot(deployment: Self.deployment(), cPlugins: [Self.ticker])
        defer { service.tearDown() }

        try service.sandbox.systemctl("start", SystemdHostService.unit)
        #expect(try service.property("StatusText") == "running 2 plugin instance(s)")
        let pid = try service.property("MainPID")
        // Under the unit's DynamicUser=yes, not as root.
        #expect(try service.sandbox.run("stat", "-c", "%U", "/proc/\(pid)") == "nightshift\n")
        var last = try service.property("WatchdogTimestampMonotonic")
        for _ in 1...2 {
            let next = try service.sandbox.waitUntil(SystemdHostService.unit, "WatchdogTimestampMonotonic") {
                $0 != last
            }
            #expect(next != nil)
            last = next ?? last
        }
        #expect(try service.property("MainPID") == pid)
        #expect(try service.property("NRestarts") == "0")
        #expect(try service.property("StatusText") == "running 2 plugin instance(s)")
    }
}
