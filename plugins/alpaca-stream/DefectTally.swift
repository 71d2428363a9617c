import NightshiftKit

/// Counts stream input that does not match the protocol, and decides when to report it.
///
/// A bad frame costs nothing but a counter; a report goes out at most once per ``interval`` of host time (the
/// first at once), carrying the counts since the previous report and a short printable sample of the last
/// malformed frame. The stream sends no secrets, but the sample is clipped and limited to printable ASCII anyway.
struct DefectTally {
    /// The shortest time between two reports.
    var interval: Duration = .seconds(60)
    /// Frames that stopped being JSON (or the protocol's array of objects) before their end.
    var malformedFrames = 0
    /// Data messages without a usable symbol, timestamp or price field.
    var incomplete = 0
    /// Array elements that were not objects.
    var skipped = 0
    /// Messages without a type this plugin handles (corrections, statuses, unknown types).
    var ignored = 0
    private var sample = ""
    private var lastReport: Timestamp?

    /// The longest sample kept, in bytes.
    static let sampleBytes = 120

    /// Whether anything worth a warning happened since the last report (ignored types are not).
    var hasNews: Bool { malformedFrames + incomplete + skipped > 0 }

    /// Counts a malformed frame and keeps a clipped, printable sample of it.
    mutating func malformed(_ bytes: UnsafeBufferPointer<UInt8>) {
        malformedFrames += 1
        let clipped = bytes.prefix(Self.sampleBytes).map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }
        sample = String(decoding: clipped, as: UTF8.self)
    }

    /// The fields of a report due at `now`, resetting the counts; `nil` while the last report is recent.
    mutating func report(at now: Timestamp) -> Logger.Metadata? {
        if let lastReport, now - lastReport < interval { return nil }
        lastReport = now
        var fields: Logger.Metadata = [
            "malformed_frames": .int(Int64(malformedFrames)), "incomplete_messages": .int(Int64(incomplete)),
            "skipped_elements": .int(Int64(skipped)), "ignored_messages": .int(Int64(ignored)),
        ]
        if !sample.isEmpty { fields["sample"] = .string(sample) }
        malformedFrames = 0
        incomplete = 0
        skipped = 0
        ignored = 0
        sample = ""
        return fields
    }
}
