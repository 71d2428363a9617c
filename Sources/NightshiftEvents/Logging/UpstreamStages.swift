import Synchronization

/// The dispatchers that feed a sink, so that flushing the sink first lets them hand over what they hold.
///
/// A sink's `flush` promises that what was logged before the call is written; with redaction on the dispatch
/// thread, some of that may still sit in a handler's queue. Held weakly: a handler that is gone feeds nothing.
final class UpstreamStages: Sendable {
    private struct Entry: Sendable {
        weak var stage: EventDispatcher?
    }

    private let entries = Mutex<[Entry]>([])

    func add(_ stage: EventDispatcher) {
        entries.withLock { entries in
            entries.removeAll { $0.stage == nil }
            entries.append(Entry(stage: stage))
        }
    }

    /// Flushes every live stage within `timeout`; returns whether all of them finished.
    func flush(timeout: Duration) -> Bool {
        let stages = entries.withLock { $0.compactMap(\.stage) }
        guard !stages.isEmpty else { return true }
        let deadline = ContinuousClock.now + timeout
        var complete = true
        for stage in stages where !stage.flush(timeout: max(.zero, deadline - ContinuousClock.now)) { complete = false }
        return complete
    }
}

/// A sink that knows which dispatchers feed it.
protocol UpstreamAwareSink: EventSink {
    var upstream: UpstreamStages { get }
}
