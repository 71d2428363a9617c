import Foundation

/// The command line: `nightshift-bench [--smoke] [--only P1,P3,...]`.
enum BenchArguments {
    static let usage = """
        OVERVIEW: Measures the host's performance figures, each beside a baseline measured in the same run.

        USAGE: nightshift-bench [--smoke] [--only <ids>]

        OPTIONS:
          --smoke          Tiny sizes: checks that every measurement runs (figures are meaningless).
          --only <ids>     Comma-separated figures to measure, e.g. P1,P4 (default: P1 P3 P4 P5 P6).
          -h, --help       Show help information.

        ENVIRONMENT:
          NIGHTSHIFT_BENCH_PG_URL  A PostgreSQL URL: P3 also measures ingest into PostgreSQL (in a schema of its own).

        """

    /// The settings the arguments ask for, or nil after printing help or a usage error (with the exit status).
    static func parse(_ arguments: [String]) -> Result<BenchSettings, ExitStatus> {
        var settings = BenchSettings()
        var only: Set<String> = []
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "-h", "--help":
                print(usage, terminator: "")
                return .failure(ExitStatus(code: 0))
            case "--smoke":
                let chosen = only
                settings = .smokeSettings
                only = chosen
            case "--only":
                index += 1
                guard index < arguments.count else { return usageError("--only needs a list such as P1,P4") }
                let ids = arguments[index].split(separator: ",").map { $0.uppercased() }
                let known: Set<String> = ["P1", "P3", "P4", "P5", "P6"]
                if let unknown = ids.first(where: { !known.contains($0) }) {
                    return usageError("unknown figure '\(unknown)' (known: P1, P3, P4, P5, P6)")
                }
                only.formUnion(ids)
            default:
                return usageError("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        settings.only = only
        return .success(settings)
    }

    private static func usageError(_ message: String) -> Result<BenchSettings, ExitStatus> {
        FileHandle.standardError.write(Data("Error: \(message)\n\(usage)".utf8))
        return .failure(ExitStatus(code: 64))
    }

    /// The process exit status to end with.
    struct ExitStatus: Error {
        var code: Int32
    }
}
