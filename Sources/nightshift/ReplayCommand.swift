import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost
import NightshiftJSON

/// `nightshift replay <config> --from <recording>`: feeds a recording through the deployment's own source and strategy
/// plugins, with paper brokers, on a simulated clock and without any network, then prints what happened.
enum ReplayCommand {
    static let command = Command(
        name: "replay",
        abstract: "Replays a recording through the deployment's plugins with paper brokers and no network.",
        usage: "nightshift replay <config.yaml> --from <recording> [--speed max|1x|10x] [--events-dir <dir>] [--json]",
        options: [
            ("--from <recording>", "A recording made by 'nightshift record' (an event store holds no market data)."),
            ("--speed <speed>", "max (default) as fast as possible, or <n>x paced against wall time (1x, 10x, 0.5x)."),
            ("--events-dir <dir>", "Where the replay's event store goes (default <data_dir>/replay-<UTC time>)."),
            ("--json", "Print the summary as JSON, without progress."),
        ],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, flags: ["--json"], options: ["--from", "--speed", "--events-dir"])
        let path = try parsed.single("config.yaml")
        guard let from = parsed.value("--from") else {
            throw Arguments.UsageError(description: "missing required option '--from <recording>'")
        }
        let speedText = parsed.value("--speed") ?? "max"
        guard let speed = ReplaySpeed(speedText) else {
            throw Arguments.UsageError(description: "invalid speed '\(speedText)' for '--speed' (max, 1x, 10x, ...)")
        }
        let recording: Recording
        do {
            recording = try Recording.read(path: from)
        } catch {
            if error.code == .notARecording || error.code == .io {
                throw Arguments.UsageError(description: "--from: \(error)")
            }
            printError("Error: \(error)")
            return .failure
        }
        let deployment: Deployment
        do {
            deployment = try ConfigLoader.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch {
            printError(error.description)
            return .config
        }
        let directory = parsed.value("--events-dir") ?? ReplayDeployment.defaultEventDirectory(for: deployment)
        let prepared: PreparedDeployment
        let store: String
        do {
            (prepared, store) = try ReplayDeployment.prepare(deployment, eventDirectory: directory)
            try recording.check(against: prepared)
        } catch let error as ReplayError {
            printError("Error: \(error)")
            return .config
        } catch {
            printError("\(error)")
            return .config
        }
        if recording.header.deployment != prepared.deployment.file {
            printError("note: the recording was made with \(recording.header.deployment)")
        }
        signal(SIGPIPE, SIG_IGN)
        let runID = EventID.generate()
        let log: EventLog
        do {
            log = try EventLog(deployment: prepared.deployment, runID: runID, stdout: false)
        } catch {
            printError("Error: cannot open the replay's event store: \(error)")
            return .config
        }
        let tally = ReplayTally(forwardingTo: log)
        let json = parsed.flag("--json")
        let session = ReplaySession(
            recording: recording, speed: speed, secrets: prepared.deployment.secrets,
            progress: json ? nil : ReplayProgress(fileDescriptor: 1))
        var hooks = Runtime.Hooks()
        hooks.flushEvents = { log.flush(timeout: $0) }
        let code = Runtime(prepared: prepared, runID: runID, log: tally, hooks: hooks, mode: .replay(session)).run()

        let summary = ReplaySummary(
            statistics: session.statistics, ledger: tally.ledger, eventStore: store, divergence: session.divergence)
        print(json ? summary.json.jsonText : summary.text, terminator: json ? "\n" : "")
        if let divergence = session.divergence {
            printError("Error: replay diverged from the recording: \(divergence.message)")
            return .failure
        }
        return code
    }
}
