import Foundation

// nightshift-bench: measures the issue's performance figures (P1–P6), each beside a baseline measured in the same
// run, and prints them with the machine and the exact command. It never fails on a missed target: it reports it.

/// Writes one line to stdout at once (unbuffered), so progress shows through a pipe.
func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let settings: BenchSettings
switch BenchArguments.parse(Array(CommandLine.arguments.dropFirst())) {
case .success(let parsed): settings = parsed
case .failure(let status): exit(status.code)
}

say("nightshift-bench\(settings.smoke ? " (smoke: tiny sizes, figures meaningless)" : "")")
say("command: \(CommandLine.arguments.joined(separator: " ")) (in \(FileManager.default.currentDirectoryPath))")
for line in Machine.current().lines { say(line) }
say()

let workspace: BenchWorkspace
do {
    workspace = try BenchWorkspace()
} catch {
    say("Error: cannot create the benchmark's temporary directory: \(error)")
    exit(1)
}

let measurements: [(id: String, title: String, measure: () throws -> [Figure])] = [
    ("P1", "events/s source -> host -> strategy", {
        try EventThroughput(settings: settings, workspace: workspace).measure()
    }),
    ("P2", "wire-to-strategy latency over loopback WebSocket", {
        try WireLatency(settings: settings, workspace: workspace).measure()
    }),
    ("P3", "event-store ingest", { try StoreIngest(settings: settings, workspace: workspace).measure() }),
    ("P4", "logger cost on the calling thread", { try LoggerCost(settings: settings, workspace: workspace).measure() }),
    ("P5", "start-to-READY and resident memory", {
        try StartupFootprint(settings: settings, workspace: workspace).measure()
    }),
    ("P6", "Alpaca quote decoding", { try QuoteDecoding(settings: settings).measure() }),
]

var figures: [Figure] = []
var failures: [String] = []
for measurement in measurements where settings.measures(measurement.id) {
    say("== \(measurement.id) \(measurement.title)")
    do {
        let measured = try measurement.measure()
        for figure in measured { say(figure.line) }
        figures += measured
    } catch {
        say("\(measurement.id) FAILED: \(error)")
        failures.append(measurement.id)
    }
    if measurement.id == "P3", ProcessInfo.processInfo.environment["NIGHTSHIFT_BENCH_PG_URL"]?.isEmpty ?? true {
        say("P3 PostgreSQL not measured: set NIGHTSHIFT_BENCH_PG_URL (make bench starts a private server)")
    }
}

say()
say("== summary")
for figure in figures where !figure.targets.isEmpty {
    say("\(figure.metAll ? "met   " : "MISSED") \(figure.id) \(figure.label)")
}
if !failures.isEmpty { say("failed to measure: \(failures.joined(separator: ", "))") }
workspace.remove()
exit(failures.isEmpty ? 0 : 1)
