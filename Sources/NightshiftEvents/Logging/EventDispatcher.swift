import Dispatch
import Foundation
import Synchronization

/// An event on its way from a caller to the sinks: the record as the caller built it, plus what it left for the
/// dispatch thread to finish (fields to build, the id's text).
struct PendingEvent: Sendable {
    var event: EventRecord
    var deferred: (any DeferredEventFields)?
    /// When set, the id drawn at creation, whose text replaces `event.id`.
    var reservedID: EventID.Reservation?

    init(event: consuming EventRecord, deferred: consuming (any DeferredEventFields)?, reservedID: EventID.Reservation? = nil) {
        self.event = event
        self.deferred = deferred
        self.reservedID = reservedID
    }

    /// The whole record, not yet redacted.
    func assembled() -> EventRecord {
        guard deferred != nil || reservedID != nil else { return event }
        var event = event
        if let reservedID { event.id = reservedID.text }
        if let deferred { event.fields = event.fields.merging(deferred.eventFields()) }
        return event
    }
}

/// The queue between the threads that log and the sinks, with the one thread that empties it.
///
/// `submit(_:)` appends under a lock and returns; it refuses (and the caller delivers the event itself) only when the
/// queue is full or the dispatcher stopped, so no event is dropped here. The thread takes everything queued in one
/// swap and hands it to `deliver`. When the queue runs dry it naps for `nap`, collecting whatever arrives meanwhile,
/// and only then sleeps until a submit wakes it: a steady stream of events costs one wake-up per nap, not one system
/// call per event on the callers' side.
final class EventDispatcher: Sendable {
    private struct State {
        var queue: [PendingEvent] = []
        var submitted = 0
        var processed = 0
        /// The thread sleeps without a timeout, so the next submit must wake it.
        var asleep = false
        var stopping = false
        var stopped = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let capacity: Int
    /// A queue this long wakes a napping thread early.
    private let wakeDepth: Int
    private let nap: Duration
    private let deliver: @Sendable ([PendingEvent]) -> Void

    /// Starts the thread, named `name`; `deliver` runs on it with each batch, in submission order.
    init(name: String, capacity: Int, nap: Duration = .milliseconds(1), deliver: @escaping @Sendable ([PendingEvent]) -> Void) {
        self.capacity = max(1, capacity)
        self.wakeDepth = max(1, capacity / 4)
        self.nap = nap
        self.deliver = deliver
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Queues `pending`; when the queue is full or stopping, hands it back for the caller to deliver itself.
    func submit(_ pending: consuming PendingEvent) -> PendingEvent? {
        var item: PendingEvent? = pending
        let signal = state.withLock { state -> Bool in
            guard !state.stopping, state.queue.count < capacity else { return false }
            state.queue.append(item.take()!)
            state.submitted += 1
            if state.asleep || state.queue.count == wakeDepth {
                state.asleep = false
                return true
            }
            return false
        }
        if signal { wake.signal() }
        return item
    }

    /// Waits until everything submitted before the call has been delivered, at most `timeout`.
    func flush(timeout: Duration) -> Bool {
        let target = state.withLock { state -> Int? in
            guard state.processed < state.submitted, !state.stopped else { return nil }
            state.asleep = false
            return state.submitted
        }
        guard let target else { return true }
        wake.signal()
        return Poll.until(timeout: timeout) { state.withLock { $0.processed >= target || $0.stopped } }
    }

    /// Delivers what is queued, then ends the thread; waits at most `timeout`. Later submits are refused.
    func stop(timeout: Duration) {
        let running = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard running else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + timeout.dispatchInterval)
    }

    private func run() {
        var batch: [PendingEvent] = []
        while true {
            let stopping = state.withLock { state -> Bool in
                swap(&state.queue, &batch)
                return state.stopping
            }
            if !batch.isEmpty {
                deliver(batch)
                let count = batch.count
                batch.removeAll(keepingCapacity: true)
                state.withLock { $0.processed += count }
                continue
            }
            if stopping { break }
            _ = wake.wait(timeout: .now() + nap.dispatchInterval)
            let idle = state.withLock { state -> Bool in
                guard state.queue.isEmpty, !state.stopping else { return false }
                state.asleep = true
                return true
            }
            if idle { wake.wait() }
        }
        state.withLock { $0.stopped = true }
        finished.signal()
    }
}
