import Dispatch
import NightshiftHost
import Synchronization

/// A `HostLog` that discards everything except the benchmark plugins' own `bench_*` rows and errors.
///
/// The figures come from those rows, so the log costs the host nothing measurable: no store, no stdout.
final class CapturingLog: HostLog {
    private struct State {
        var rows: [String: [String: HostLogValue]] = [:]
        var errors: [String] = []
    }

    private let state = Mutex(State())
    private let arrived = DispatchSemaphore(value: 0)

    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        if type.hasPrefix("bench_") {
            state.withLock { $0.rows[type] = fields }
            arrived.signal()
        } else if level >= .error {
            state.withLock { $0.errors.append("\(type) \(instance): \(message)") }
        }
    }

    /// The fields of the last `type` row, if one arrived.
    func row(_ type: String) -> [String: HostLogValue]? { state.withLock { $0.rows[type] } }

    /// Integer field `key` of the last `type` row.
    func integer(_ type: String, _ key: String) -> Int64? {
        if case .int(let value)? = row(type)?[key] { return value }
        return nil
    }

    /// Errors the host logged, for the report when a run fails.
    var errors: [String] { state.withLock { $0.errors } }

    /// Waits until a `type` row has arrived or `deadline` passes; returns whether it arrived.
    func wait(for type: String, until deadline: DispatchTime) -> Bool {
        while row(type) == nil {
            if arrived.wait(timeout: deadline) == .timedOut { return row(type) != nil }
        }
        return true
    }
}
