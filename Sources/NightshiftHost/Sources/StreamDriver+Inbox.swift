import Foundation
import NightshiftIO

extension StreamDriver {
    /// What wakes the driver's thread: a link event, or a request to stop.
    enum InboxItem: Sendable, Equatable {
        /// An event from the link numbered `link`; events of links the driver has moved past are discarded.
        case link(Int, WebSocketEvent)
        /// Link `link`'s backlog outgrew the inbox's bound: the plugin cannot keep up, and the link must be replaced.
        case overflowed(Int)
        /// The runtime is shutting down.
        case stop

        /// The bytes of a frame, the only items that count against the backlog bound.
        var frameBytes: Int {
            switch self {
            case .link(_, .text(let text)): text.utf8.count
            case .link(_, .binary(let bytes)): bytes.count
            default: 0
            }
        }
    }

    /// The queue between a link's event stream and the driver's thread.
    ///
    /// `WebSocketClient` delivers events through an `AsyncStream`; a small task per link forwards them here, and the
    /// driver's thread, which makes blocking calls into the plugin, waits on this inbox with a timeout that is the
    /// supervisor's next timer. A stop request wins over queued events and stays set.
    ///
    /// The backlog of frames is bounded in bytes: a peer that sends faster than the plugin's `on_frame` returns would
    /// otherwise grow the host's memory without limit. Past the bound the link's queued frames are dropped, the driver
    /// is told at once (`overflowed`, ahead of anything queued) and replaces the link; the link's later frames are
    /// dropped on arrival, its end still comes through.
    final class Inbox: @unchecked Sendable {  // all state is guarded by `condition`
        private let condition = MonotonicCondition()
        private var items = InboxQueue()
        private var stopRequested = false
        /// The most frame bytes the inbox holds.
        let maxBacklogBytes: Int
        private var queuedBytes = 0
        /// Links whose backlog overflowed; their frames are no longer queued.
        private var overflowedLinks: Set<Int> = []
        /// An overflow the driver has not been told about yet.
        private var pendingOverflow: Int?

        init(maxBacklogBytes: Int) {
            self.maxBacklogBytes = maxBacklogBytes
        }

        /// Queues `item` and wakes the driver.
        func push(_ item: InboxItem) {
            condition.lock()
            defer { condition.unlock() }
            if item == .stop {
                stopRequested = true
            } else if case .link(let link, _) = item, item.frameBytes > 0 {
                guard !overflowedLinks.contains(link) else { return }
                guard queuedBytes + item.frameBytes <= maxBacklogBytes else {
                    overflowedLinks.insert(link)
                    pendingOverflow = link
                    items.removeAll()
                    queuedBytes = 0
                    condition.signal()
                    return
                }
                queuedBytes += item.frameBytes
                items.append(item)
            } else {
                items.append(item)
            }
            condition.signal()
        }

        /// The front item, keeping the byte count right.
        private func popFirst() -> InboxItem? {
            let item = items.popFirst()
            if let item { queuedBytes -= item.frameBytes }
            return item
        }

        /// Empties the queue (the caller holds the lock).
        private func removeAllItems() {
            items.removeAll()
            queuedBytes = 0
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
            while !stopRequested, pendingOverflow == nil, items.isEmpty {
                if !condition.wait(until: deadline) { break }
            }
            if stopRequested { return .stop }
            if let link = pendingOverflow {
                pendingOverflow = nil
                return .overflowed(link)
            }
            return popFirst()
        }

        /// Waits `duration` unless a stop is requested first, discarding link events meanwhile.
        ///
        /// - Returns: false when woken by a stop request.
        func sleep(for duration: Duration) -> Bool {
            let deadline = MonotonicCondition.deadline(after: duration)
            condition.lock()
            defer { condition.unlock() }
            while !stopRequested {
                removeAllItems()
                if !condition.wait(until: deadline) { break }
            }
            removeAllItems()
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
                while let item = popFirst() {
                    if case .link(id, .closed) = item { return true }
                    if case .link(id, .failed) = item { return true }
                }
                if !condition.wait(until: deadline) { return false }
            }
        }

        /// Forgets queued events (of links that are over).
        func discardEvents() {
            condition.lock()
            removeAllItems()
            pendingOverflow = nil
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
