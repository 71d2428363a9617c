import Foundation
import NightshiftIO

extension StreamDriver {
    /// What wakes the driver's thread: a link event, or a request to stop.
    enum InboxItem: Sendable, Equatable {
        /// An event from the link numbered `link`; events of links the driver has moved past are discarded.
        case link(Int, WebSocketEvent)
        /// The runtime is shutting down.
        case stop
    }

    /// The queue between a link's event stream and the driver's thread.
    ///
    /// `WebSocketClient` delivers events through an `AsyncStream`; a small task per link forwards them here, and the
    /// driver's thread, which makes blocking calls into the plugin, waits on this inbox with a timeout that is the
    /// supervisor's next timer. A stop request wins over queued events and stays set.
    final class Inbox: @unchecked Sendable {  // all state is guarded by `condition`
        private let condition = MonotonicCondition()
        private var items = InboxQueue()
        private var stopRequested = false

        /// Queues `item` and wakes the driver.
        func push(_ item: InboxItem) {
            condition.lock()
            if item == .stop { stopRequested = true } else { items.append(item) }
            condition.signal()
            condition.unlock()
        }

        /// Whether a stop was requested.
        var isStopping: Bool {
            condition.lock()
            defer { condition.unlock() }
            return stopRequested
        }

        /// The next item, waiting up to `timeout`; nil when the time passed first.
        func next(timeout: Duration) -> InboxItem? {
            let deadline = MonotonicCondition.deadline(after: timeout)
            condition.lock()
            defer { condition.unlock() }
            while !stopRequested, items.isEmpty {
                if !condition.wait(until: deadline) { break }
            }
            if stopRequested { return .stop }
            return items.popFirst()
        }

        /// Waits `duration` unless a stop is requested first, discarding link events meanwhile.
        ///
        /// - Returns: false when woken by a stop request.
        func sleep(for duration: Duration) -> Bool {
            let deadline = MonotonicCondition.deadline(after: duration)
            condition.lock()
            defer { condition.unlock() }
            while !stopRequested {
                items.removeAll()
                if !condition.wait(until: deadline) { break }
            }
            items.removeAll()
            return !stopRequested
        }

        /// Waits up to `timeout` for link `id` to end (`.closed` or `.failed`), whether or not a stop was requested.
        ///
        /// - Returns: whether the link ended in time.
        func awaitEnd(ofLink id: Int, timeout: Duration) -> Bool {
            let deadline = MonotonicCondition.deadline(after: timeout)
            condition.lock()
            defer { condition.unlock() }
            while true {
                while let item = items.popFirst() {
                    if case .link(id, .closed) = item { return true }
                    if case .link(id, .failed) = item { return true }
                }
                if !condition.wait(until: deadline) { return false }
            }
        }

        /// Forgets queued events (of links that are over).
        func discardEvents() {
            condition.lock()
            items.removeAll()
            condition.unlock()
        }
    }
}

/// A FIFO with O(1) removal from the front (a read index into an array, compacted as it drains), so a backlog of
/// frames drains in linear time.
struct InboxQueue {
    private var storage: [StreamDriver.InboxItem] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }

    mutating func append(_ item: StreamDriver.InboxItem) { storage.append(item) }

    mutating func popFirst() -> StreamDriver.InboxItem? {
        guard head < storage.count else { return nil }
        let item = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return item
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }
}
