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
        var limit: Duration?
        if let text = parsed.value("--for") {
            guard let duration = DurationParser.parse(text) else {
                throw Arguments.UsageError(description: "invalid duration '\(text)' for '--for' (e.g. 90s, 5m)")
            }
            limit = duration
        }
        guard let prepared = CheckCommand.prepare(path) else { return .config }
        // A closed stdout (a pager quit, a broken pipe) must not kill the host.
        signal(SIGPIPE, SIG_IGN)
        let runID = EventID.generate()
        let log: EventLog
        do {
            log = try EventLog(deployment: prepared.deployment, runID: runID)
        } catch {
            printError("Error: cannot open the event store: \(Redactor(secrets: prepared.deployment.secrets).redact("\(error)"))")
            // A database that is not up yet is worth a restart (75); an unusable SQLite path is a configuration error.
            return prepared.deployment.events.store == .postgres ? .escalated : .config
        }
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
        hooks.eventLogTrouble = {
            let counters = log.writer.counters
            if counters.lost > 0 { return "event log: \(counters.lost) event(s) lost (spool failing)" }
            if !counters.storeAvailable { return "event log: store unavailable, \(counters.spoolBytes) bytes spooled" }
            return nil
        }
        let runtime = Runtime(prepared: prepared, runID: runID, log: log, hooks: hooks, watchdogEnabled: watchdog != nil)
        if let limit {
            Thread.detachNewThread {
                if runtime.shutdown.sleep(for: limit) {
                    log.info("run_limit_reached", "host", "--for \(limit) elapsed; stopping")
                    runtime.shutdown.trigger()
                }
            }
        }
        let code = runtime.run()
        watchdog?.stop()
        return code
    }
}
