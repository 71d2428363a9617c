import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// `nightshift record <config> -o <recording>`: runs a deployment exactly as `run` does and also writes every response
/// and frame its sources receive to a recording that `nightshift replay` can feed back through the same plugins.
enum RecordCommand {
    static let command = Command(
        name: "record",
        abstract: "Runs a deployment like 'run' and records the market data its sources receive.",
        usage: "nightshift record <config.yaml> -o <recording> [--for <duration>]",
        options: [
            ("-o, --output <file>", "The recording to write (JSON lines; must not exist yet)."),
            ("--for <duration>", "Stop by itself after this long (e.g. 60s, 5m), as SIGTERM would."),
        ],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, options: ["--for", "-o", "--output"])
        let path = try parsed.single("config.yaml")
        guard let output = parsed.value("--output") ?? parsed.value("-o") else {
            throw Arguments.UsageError(description: "missing required option '-o <recording>'")
        }
        var limit: Duration?
        if let text = parsed.value("--for") {
            guard let duration = DurationParser.parse(text) else {
                throw Arguments.UsageError(description: "invalid duration '\(text)' for '--for' (e.g. 90s, 5m)")
            }
            limit = duration
        }
        guard let prepared = CheckCommand.prepare(path) else { return .config }
        signal(SIGPIPE, SIG_IGN)
        let runID = EventID.generate()
        let log: EventLog
        do {
            log = try EventLog(deployment: prepared.deployment, runID: runID)
        } catch {
            printError("Error: cannot open the event store: \(Redactor(secrets: prepared.deployment.secrets).redact("\(error)"))")
            return .config
        }
        let recorder: Recorder
        do {
            recorder = try Recorder(
                path: output,
                header: RecordingHeader(
                    prepared: prepared, runID: runID, startedAt: Int64(Date().timeIntervalSince1970 * 1e9)),
                secrets: prepared.deployment.secrets)
        } catch {
            printError("Error: \(error)")
            log.flush(timeout: prepared.deployment.host.shutdownTimeout)
            return .usage
        }
        // Under systemd it behaves as `run` does: readiness, status and the watchdog.
        let systemd = SystemdNotifier(onFirstFailure: { printError("warning: sd_notify failed: \($0)") })
        let watchdog = WatchdogFeeder.startIfEnabled(notifier: systemd)
        if watchdog != nil { signal(SIGABRT, SIG_DFL) }
        var hooks = Runtime.Hooks()
        hooks.notify = { _ = systemd.notify($0) }
        hooks.heartbeat = { watchdog?.heartbeat() }
        hooks.stalled = { watchdog?.deadlineOverran($0) }
        hooks.flushEvents = { log.flush(timeout: $0) }
        let runtime = Runtime(
            prepared: prepared, runID: runID, log: log, hooks: hooks, watchdogEnabled: watchdog != nil,
            mode: .record(recorder))
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
        if let failure = recorder.failure {
            printError("Error: the recording is incomplete: \(failure)")
            return code == .success ? .failure : code
        }
        printError("recorded \(recorder.entryCount) entries to \(output)")
        return code
    }
}
