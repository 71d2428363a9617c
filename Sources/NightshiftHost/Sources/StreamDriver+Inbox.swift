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
        private let condition = NSCondition()
        private var items: [InboxItem] = []
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
            let deadline = Date().addingTimeInterval(timeout.seconds)
            condition.lock()
            defer { condition.unlock() }
            while !stopRequested, items.isEmpty {
                if !condition.wait(until: deadline) { break }
            }
            if stopRequested { return .stop }
            return items.isEmpty ? nil : items.removeFirst()
        }

        /// Waits `duration` unless a stop is requested first, discarding link events meanwhile.
        ///
        /// - Returns: false when woken by a stop request.
        func sleep(for duration: Duration) -> Bool {
            let deadline = Date().addingTimeInterval(duration.seconds)
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
            let deadline = Date().addingTimeInterval(timeout.seconds)
            condition.lock()
            defer { condition.unlock() }
            while true {
                while !items.isEmpty {
                    if case .link(id, .closed) = items.first { return true }
                    if case .link(id, .failed) = items.first { return true }
                    items.removeFirst()
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
