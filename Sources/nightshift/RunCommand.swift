import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// `nightshift run <config>`: runs a deployment until SIGTERM/SIGINT (or `--for` elapses), then stops gracefully.
enum RunCommand {
    static let command = Command(
        name: "run",
        abstract: "Runs a deployment until SIGTERM or SIGINT, then stops gracefully.",
        usage: "nightshift run <config.yaml> [--for <duration>]",
        options: [("--for <duration>", "Stop by itself after this long (e.g. 60s, 5m), as SIGTERM would.")],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, options: ["--for"])
        let path = try parsed.single("config.yaml")
        let limit = try HostLaunch.limit(parsed)
        guard let prepared = CheckCommand.prepare(path) else { return .config }
        let runID = EventID.generate()
        let log: EventLog
        switch HostLaunch.openLog(prepared, runID: runID) {
        case .success(let opened): log = opened
        case .failure(let code): return code.exitCode
        }
        return HostLaunch.run(prepared, runID: runID, log: log, limit: limit)
    }
}

/// What `run` and `record` share: the event log, the systemd hooks, the `--for` limit.
enum HostLaunch {
    /// An exit code as an `Error`, so `Result` can carry it.
    struct Exit: Error { var exitCode: ExitCode }

    /// The `--for <duration>` option, if given.
    static func limit(_ parsed: Arguments) throws(Arguments.UsageError) -> Duration? {
        guard let text = parsed.value("--for") else { return nil }
        guard let duration = DurationParser.parse(text) else {
            throw Arguments.UsageError(description: "invalid duration '\(text)' for '--for' (e.g. 90s, 5m)")
        }
        return duration
    }

    /// Opens the deployment's event log, or says why not with the exit code that fits.
    static func openLog(_ prepared: PreparedDeployment, runID: String) -> Result<EventLog, Exit> {
        do {
            return .success(try EventLog(deployment: prepared.deployment, runID: runID))
        } catch {
            printError("Error: cannot open the event store: \(Redactor(secrets: prepared.deployment.secrets).redact("\(error)"))")
            // A database that is not up yet is worth a restart (75); an unusable SQLite path is a configuration error.
            return .failure(Exit(exitCode: prepared.deployment.events.store == .postgres ? .escalated : .config))
        }
    }

    /// Runs the deployment under systemd's protocol (readiness, status, watchdog) until it stops.
    static func run(
        _ prepared: PreparedDeployment, runID: String, log: EventLog, limit: Duration?, mode: Runtime.Mode = .live
    ) -> ExitCode {
        // A closed stdout (a pager quit, a broken pipe) must not kill the host.
        signal(SIGPIPE, SIG_IGN)
        let systemd = SystemdNotifier(onFirstFailure: { printError("warning: sd_notify failed: \($0)") })
        let watchdog = WatchdogFeeder.startIfEnabled(notifier: systemd)
        if watchdog != nil {
            // systemd ends a stalled host with SIGABRT. The Swift runtime's crash handler would catch it, try a
            // backtrace and return, leaving the host running until SIGKILL after TimeoutAbortSec; with the default
            // disposition the signal ends the process at once, with a core dump where the limits allow one.
            signal(SIGABRT, SIG_DFL)
        }
        var hooks = Runtime.Hooks()
        hooks.notify = { _ = systemd.notify($0) }
        hooks.heartbeat = { watchdog?.heartbeat() }
        hooks.stalled = { watchdog?.deadlineOverran($0) }
        hooks.flushEvents = { log.flush(timeout: $0) }
        hooks.eventLogTrouble = { log.writer.counters.trouble }
        let endpoint: MetricsEndpoint?
        switch MetricsLaunch.start(prepared, log: log, trouble: hooks.eventLogTrouble, watchdog: watchdog?.settings.interval) {
        case .success(let started): endpoint = started
        case .failure(let exit): watchdog?.stop(); return exit.exitCode
        }
        defer { endpoint?.stop() }
        let counted = endpoint?.metrics.log(wrapping: log) ?? log
        hooks = endpoint?.metrics.hooks(wrapping: hooks) ?? hooks
        let runtime = Runtime(
            prepared: prepared, runID: runID, log: counted, hooks: hooks, watchdogEnabled: watchdog != nil, mode: mode)
        endpoint?.metrics.observe(runtime)
        if let limit {
            Thread.detachNewThread {
                if runtime.shutdown.sleep(for: limit) {
                    counted.info("run_limit_reached", "host", "--for \(limit) elapsed; stopping")
                    runtime.shutdown.trigger()
                }
            }
        }
        let code = runtime.run()
        watchdog?.stop()
        return code
    }
}
