import Foundation
import Testing
@testable import NightshiftEvents

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/nightshift-events-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds events with controlled times and fields for a run.
struct EventFactory {
    var hostInstance = "test-host"
    var runId = EventID.generate()

    /// 2024-05-01T00:00:00Z in microseconds: a fixed origin so times in assertions are exact.
    static let origin: Int64 = 1_714_521_600_000_000

    func make(
        _ type: String, at secondsAfterOrigin: Int64? = nil, level: EventLevel = .info, source: String = "host",
        instance: String? = nil, message: String = "", fields: EventFields = [:]
    ) -> EventRecord {
        let time = secondsAfterOrigin.map { Self.origin + $0 * EventTime.microsPerSecond }
        return EventRecord(
            createdAt: time, eventType: type, level: level, source: source, instance: instance ?? source,
            hostInstance: hostInstance, runId: runId, message: message, fields: fields
        )
    }

    /// `count` events of `type` from `source`, numbered by a `seq` field, one per second from `start`.
    func sequence(_ count: Int, type: String = "tick", source: String = "host", start: Int64? = nil) -> [EventRecord] {
        (0..<count).map { index in
            make(type, at: start.map { $0 + Int64(index) }, source: source, message: "tick \(index)",
                 fields: ["seq": .int(Int64(index))])
        }
    }
}

/// Waits for a condition that a background thread will make true; fails the test with `message` if it never does.
func eventually(
    timeout: Duration = .seconds(20), _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () throws -> Bool
) rethrows {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.005)
    }
    Issue.record("timed out waiting: \(message)", sourceLocation: sourceLocation)
}

/// Sequence numbers of `events` per source, in id order.
func sequencesBySource(_ events: [EventRecord]) -> [String: [Int64]] {
    var result: [String: [Int64]] = [:]
    for event in events.sorted(by: { $0.id < $1.id }) {
        result[event.source, default: []].append(event.fields["seq"]?.intValue ?? -1)
    }
    return result
}

/// A PostgreSQL URL on which nothing listens (port 1 on the loopback address): connecting is refused at once.
let unreachablePostgresURL = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2"
