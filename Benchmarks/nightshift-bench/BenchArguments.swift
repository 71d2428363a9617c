import Foundation

/// The command line: `nightshift-bench [--smoke] [--only P1,P3,...]`.
enum BenchArguments {
    static let usage = """
        OVERVIEW: Measures the host's performance figures, each beside a baseline measured in the same run.

        USAGE: nightshift-bench [--smoke] [--only <ids>] [--batch-sizes <sizes>]

        OPTIONS:
          --smoke          Tiny sizes: checks that every measurement runs (figures are meaningless).
          --only <ids>     Comma-separated figures to measure, e.g. P1,P4 (default: P1 P2 P3 P4 P5 P6).
          --batch-sizes <sizes>
                           Comma-separated events per emit for P1 (default: 1,16,256,1024,4096).
          -h, --help       Show help information.

        ENVIRONMENT:
          NIGHTSHIFT_BENCH_PG_URL  A PostgreSQL URL: P3 also measures ingest into PostgreSQL (in a schema of its own).

        """

    /// The settings the arguments ask for, or the exit status to end with after printing help or a usage error.
    static func parse(_ arguments: [String]) -> Result<BenchSettings, ExitStatus> {
        var settings = BenchSettings()
        var only: Set<String> = []
        var batchSizes: [Int]?
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
                let known: Set<String> = ["P1", "P2", "P3", "P4", "P5", "P6"]
                if let unknown = ids.first(where: { !known.contains($0) }) {
                    return usageError("unknown figure '\(unknown)' (known: P1, P2, P3, P4, P5, P6)")
                }
                only.formUnion(ids)
            case "--batch-sizes":
                index += 1
                let sizes = index < arguments.count ? arguments[index].split(separator: ",").compactMap { Int($0) } : []
                guard !sizes.isEmpty, sizes.allSatisfy({ (1...65_536).contains($0) }) else {
                    return usageError("--batch-sizes needs sizes from 1 to 65536, e.g. 1,1024")
                }
                batchSizes = sizes
            default:
                return usageError("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        settings.only = only
        if let batchSizes { settings.eventBatchSizes = batchSizes }
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
