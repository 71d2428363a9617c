import Foundation
import NightshiftConfig
import NightshiftEvents
import NightshiftHost

/// `nightshift events summary|tail|query --config <file>`: "what happened while I was asleep?" against the
/// store the deployment names.
enum EventsCommand {
    static let command = Command(
        name: "events",
        abstract: "Queries the event store the deployment names.",
        usage: "nightshift events <summary|tail|query> --config <config.yaml> [options]",
        options: [
            ("--config <file>", "The deployment whose event store to read (required)."),
            ("--since <duration>", "Only events newer than this, e.g. 8h (default 8h for summary)."),
            ("--until <duration>", "Only events older than this long ago."),
            ("--type <event_type>", "query: only this event type."),
            ("--source <name>", "query: only this source (host or plugin)."),
            ("--instance <name>", "query: only this instance."),
            ("--level <level>", "query: only this level and above."),
            ("--limit <n>", "At most this many events (default 100)."),
            ("-f, --follow", "tail: keep printing new events until interrupted."),
            ("--json", "Print JSON instead of a table."),
        ],
        subcommands: [
            ("summary", "Count per event type with first and last seen: the morning check."),
            ("tail", "The latest events."),
            ("query", "Events matching filters."),
        ],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let parsed = try Arguments(
            arguments, flags: ["--json", "-f", "--follow"],
            options: ["--config", "--since", "--until", "--type", "--source", "--instance", "--level", "--limit"])
        guard let subcommand = parsed.positionals.first, ["summary", "tail", "query"].contains(subcommand) else {
            throw Arguments.UsageError(description: "expected a subcommand: summary, tail or query")
        }
        guard let config = parsed.value("--config") else {
            throw Arguments.UsageError(description: "missing required option '--config <config.yaml>'")
        }
        let now = EventTime.nowMicros()
        func ago(_ option: String) throws(Arguments.UsageError) -> Int64? {
            guard let text = parsed.value(option) else { return nil }
            guard let duration = DurationParser.parse(text) else {
                throw Arguments.UsageError(description: "invalid duration '\(text)' for '\(option)' (e.g. 8h, 30m)")
            }
            return duration.microseconds(before: now)
        }
        let since = try ago("--since")
        let until = try ago("--until")
        let limitText = parsed.value("--limit") ?? "100"
        guard let limit = Int(limitText), limit > 0 else {
            throw Arguments.UsageError(description: "invalid value '\(limitText)' for '--limit': expected a positive integer")
        }
        var level: EventLevel?
        if let text = parsed.value("--level") {
            guard let value = EventLevel(rawValue: text) else {
                throw Arguments.UsageError(description: "invalid level '\(text)' (trace, debug, info, notice, warning, error, critical)")
            }
            level = value
        }
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
        let json = parsed.flag("--json")
        switch subcommand {
        case "summary":
            let rows = try store.summary(since: since ?? now - 8 * 3_600_000_000)
            print(json ? EventFormatting.summaryJSON(rows) : EventFormatting.summaryTable(rows), terminator: json ? "\n" : "")
        case "query":
            let filter = EventFilter(
                eventTypes: parsed.value("--type").map { [$0] } ?? [], source: parsed.value("--source"),
                instance: parsed.value("--instance"), minimumLevel: level, since: since, until: until, limit: limit)
            print(render(try store.query(filter), json: json), terminator: "")
        default:
            var events = try store.query(EventFilter(since: since, limit: limit, newestFirst: true)).reversed() as [EventRecord]
            print(render(events, json: json), terminator: "")
            guard parsed.flag("-f") || parsed.flag("--follow") else { break }
            var last = events.last?.id
            while true {
                Thread.sleep(forTimeInterval: 1)
                events = try store.tail(after: last, limit: 1000)
                if !events.isEmpty {
                    print(render(events, json: json), terminator: "")
                    FileHandle.standardOutput.synchronizeFile()
                    last = events.last?.id
                }
            }
        }
        return .success
    }

    private static func render(_ events: [EventRecord], json: Bool) -> String {
        json ? EventFormatting.eventsJSONLines(events) : EventFormatting.eventsTable(events)
    }
}
