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
        let limit = try HostLaunch.limit(parsed)
        guard let prepared = CheckCommand.prepare(path) else { return .config }
        let runID = EventID.generate()
        let log: EventLog
        switch HostLaunch.openLog(prepared, runID: runID) {
        case .success(let opened): log = opened
        case .failure(let code): return code.exitCode
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
        let code = HostLaunch.run(prepared, runID: runID, log: log, limit: limit, mode: .record(recorder))
        if let failure = recorder.failure {
            printError("Error: the recording is incomplete: \(failure)")
            return code == .success ? .failure : code
        }
        printError("recorded \(recorder.entryCount) entries to \(output)")
        return code
    }
}
