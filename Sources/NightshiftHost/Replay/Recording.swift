import Foundation

/// A recording read back: its header and its entries in file order, which is the order a replay feeds them.
///
/// A poll cycle's HTTP exchanges are fed at their place in the file, like frames; exchanges made outside cycles are
/// taken in order as their requests come.
public struct Recording: Sendable {
    /// The file it was read from.
    public var file: String
    public var header: RecordingHeader
    /// Every entry after the header, in file order.
    public var entries: [RecordingEntry]

    public init(file: String, header: RecordingHeader, entries: [RecordingEntry]) {
        self.file = file
        self.header = header
        self.entries = entries
    }

    /// Reads and parses a recording.
    ///
    /// A last line without its newline that does not parse is taken for a write cut short when the recording process
    /// died, and dropped; any other bad line is an error naming the file and line.
    ///
    /// - Throws: `ReplayError` (`notARecording`, `io`, `malformed`, `unsupportedVersion`).
    public static func read(path: String) throws(ReplayError) -> Recording {
        try refuseNonRecording(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw ReplayError(.io, "the recording \(reason)", file: path)
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var entries: [RecordingEntry] = []
        var header: RecordingHeader?
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let entry: RecordingEntry
            do {
                entry = try RecordingEntry(jsonLine: String(line), file: path, line: index + 1)
            } catch {
                if index == lines.count - 1, header != nil { break }
                throw error
            }
            if case .header(let found) = entry {
                guard header == nil else { throw ReplayError(.malformed, "a second header", file: path, line: index + 1) }
                guard found.version <= RecordingHeader.currentVersion else {
                    throw ReplayError(
                        .unsupportedVersion,
                        "recording format version \(found.version); this host reads up to \(RecordingHeader.currentVersion)",
                        file: path, line: index + 1)
                }
                header = found
                continue
            }
            guard header != nil else { throw ReplayError(.malformed, "the first line must be the header", file: path, line: index + 1) }
            entries.append(entry)
        }
        guard let header else { throw ReplayError(.malformed, "empty: no header line", file: path) }
        return Recording(file: path, header: header, entries: entries)
    }

    /// Refuses what `--from` might mistakenly name: an SQLite event store or a PostgreSQL URL.
    ///
    /// The event store holds what the host decided, not the market data the sources received, so it cannot be
    /// replayed; only `nightshift record` output can.
    public static func refuseNonRecording(_ path: String) throws(ReplayError) {
        let explanation = "an event store holds no market data and cannot be replayed; record one with "
            + "'nightshift record <config> -o <recording>'"
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
            throw ReplayError(.notARecording, "a PostgreSQL URL is not a recording: \(explanation)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 16)) ?? Data()
        if magic == Data("SQLite format 3\u{0}".utf8) {
            throw ReplayError(.notARecording, "this is an SQLite database, not a recording: \(explanation)", file: path)
        }
    }

    // MARK: - Views

    /// The entries a replay feeds one by one: everything but the HTTP exchanges made outside cycles, which are taken
    /// in order as their requests come.
    public var timeline: [RecordingEntry] {
        entries.filter { if case .http(let exchange) = $0 { exchange.cycle > 0 } else { true } }
    }

    /// The HTTP exchanges of `instance`, grouped by cycle, each group in recorded order.
    public func exchanges(of instance: String) -> [Int: [RecordedExchange]] {
        var groups: [Int: [RecordedExchange]] = [:]
        for case .http(let exchange) in entries where exchange.instance == instance {
            groups[exchange.cycle, default: []].append(exchange)
        }
        return groups
    }

    /// The cycles of `instance` that the recording saw finish.
    public func completedCycles(of instance: String) -> Set<Int> {
        var cycles: Set<Int> = []
        for case .cycleEnd(instance, let number, _) in entries { cycles.insert(number) }
        return cycles
    }

    /// The instances that have entries, by name.
    public var recordedInstances: Set<String> { Set(entries.map(\.instance)) }
}
