import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// `nightshift report --config <file> --since 24h -o report.html`: one self-contained HTML file with a timeline of
/// the period's events (failures and recoveries marked) and the summary table.
enum ReportCommand {
    static let command = Command(
        name: "report",
        abstract: "Writes a self-contained HTML report of recent events.",
        usage: "nightshift report --config <config.yaml> [--since 24h] [-o report.html]",
        options: [
            ("--config <file>", "The deployment whose event store to read (required)."),
            ("--since <duration>", "The period to cover, back from now (default 24h)."),
            ("-o, --output <file>", "Where to write the report (default report.html)."),
        ],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(arguments, options: ["--config", "--since", "-o", "--output"])
        guard parsed.positionals.isEmpty else {
            throw Arguments.UsageError(description: "unexpected argument '\(parsed.positionals[0])'")
        }
        guard let config = parsed.value("--config") else {
            throw Arguments.UsageError(description: "missing required option '--config <config.yaml>'")
        }
        let sinceText = parsed.value("--since") ?? "24h"
        guard let period = DurationParser.parse(sinceText) else {
            throw Arguments.UsageError(description: "invalid duration '\(sinceText)' for '--since' (e.g. 24h)")
        }
        let output = parsed.value("-o") ?? parsed.value("--output") ?? "report.html"
        let store: any EventStore
        do {
            let deployment = try ConfigLoader.load(path: config, environment: ProcessInfo.processInfo.environment)
            store = try EventLog.openStore(deployment.events)
        } catch let errors as ConfigErrors {
            printError(errors.description)
            return .config
        } catch {
            printError("Error: cannot open the event store: \(error)")
            return .failure
        }
        let now = EventTime.nowMicros()
        let since = period.microseconds(before: now)
        let html = try HTMLReport.generate(from: store, since: since, until: now)
        do {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            printError("Error: cannot write \(output): \(error.localizedDescription)")
            return .failure
        }
        print("wrote \(output) (\(html.utf8.count) bytes, events since \(sinceText) ago)")
        return .success
    }
}
