import Dispatch
import Foundation
import Synchronization

/// The write path of the event log: callers enqueue, one background thread writes batches to the store.
///
/// `enqueue(_:)` only appends to a bounded in-memory queue. The writer thread flushes by count (`batchSize`) and by
/// time (`flushInterval`). When the store fails, batches go to an fsync'd local spool (`EventSpool`) and are replayed
/// in order once it answers again, and at the next start for whatever a killed process left behind. Inserts are
/// idempotent on the event id, so this at-least-once delivery loses nothing and duplicates nothing.
///
/// When the queue is full, events go straight to the spool instead of being dropped. Only if the spool fails too are
/// events lost: that is reported on stderr and counted in `counters.lost`, never silent.
public final class EventWriter: EventSink, UpstreamAwareSink {
    /// Options for the write path.
    public struct Configuration: Sendable {
        /// The spool file (its directory must exist and be writable).
        public var spoolPath: String
        /// Events held in memory before the queue overflows into the spool.
        public var queueCapacity: Int
        /// Events per store insert; reaching it wakes the writer at once.
        public var batchSize: Int
        /// How long the writer waits for a full batch before writing what it has.
        public var flushInterval: Duration
        /// How long to wait after a store failure before trying the store again.
        public var retryInterval: Duration
        /// Pending spool bytes beyond which further events are lost (and reported) rather than filling the disk.
        public var maxSpoolBytes: Int64
        /// When set, the writer records its own `event_store_unavailable` and `event_store_recovered` events.
        public var context: EventContext?

        /// Creates a configuration with defaults suited to a trading host.
        public init(
            spoolPath: String,
            queueCapacity: Int = 10_000,
            batchSize: Int = 500,
            flushInterval: Duration = .milliseconds(250),
            retryInterval: Duration = .seconds(2),
            maxSpoolBytes: Int64 = 1 << 30,
            context: EventContext? = nil
        ) {
            self.spoolPath = spoolPath
            self.queueCapacity = max(1, queueCapacity)
            self.batchSize = max(1, batchSize)
            self.flushInterval = flushInterval
            self.retryInterval = retryInterval
            self.maxSpoolBytes = maxSpoolBytes
            self.context = context
        }
    }

    /// Figures for metrics; every count is since the writer started.
    public struct Counters: Sendable, Hashable {
        /// Events handed to `enqueue(_:)`.
        public var queued = 0
        /// Rows newly inserted into the store (duplicates skipped by the store are not counted).
        public var written = 0
        /// Events appended to the spool.
        public var spooled = 0
        /// Spooled events delivered to the store by a replay.
        public var replayed = 0
        /// Events that reached neither the store nor the spool.
        public var lost = 0
        /// Events waiting in memory now.
        public var queueDepth = 0
        /// Spool bytes waiting for replay now.
        public var spoolBytes: Int64 = 0
        /// Whether the last store attempt succeeded.
        public var storeAvailable = true

        /// What is wrong with the event log, in one line for `/healthz` and `STATUS=`, or nil when nothing is.
        ///
        /// Lost events come first and stay for the process's life: a later recovery of the store does not bring
        /// them back, and losing events must never look healthy.
        public var trouble: String? {
            if lost > 0 { return "event log: \(lost) event(s) lost (neither store nor spool took them)" }
            if !storeAvailable { return "event log: store unavailable, \(spoolBytes) bytes spooled" }
            return nil
        }
    }

    struct State {
        var queue: [EventRecord] = []
        var counters = Counters()
        /// Events the writer thread took from the queue and has not started writing; they still count as queued.
        var held = 0
        /// Events in the batch being written now.
        var inFlight = 0
        var flushRequested = 0
        var flushCompleted = 0
        var stopRequested = false
        var abandonRequested = false
        var stopped = false
        var lossesUnreported = 0
        var lastLossReason = ""
        var lastLossReport: ContinuousClock.Instant?
    }

    /// The options this writer runs with.
    public let configuration: Configuration
    let store: any EventStore
    let spool: EventSpool
    let state = Mutex(State())
    let wake = DispatchSemaphore(value: 0)
    let upstream = UpstreamStages()
    private let exited = DispatchSemaphore(value: 0)

    /// Opens the spool (replaying it once the store answers) and starts the writer thread.
    ///
    /// - Throws: `EventStoreError` with code `spoolFailed` when the spool cannot be opened or locked.
    public init(store: any EventStore, configuration: Configuration) throws {
        self.store = store
        self.configuration = configuration
        spool = try EventSpool(path: configuration.spoolPath)
        if spool.recoveredTornBytes > 0 {
            FileDescriptorWriter.reportToStandardError(
                "event spool \(configuration.spoolPath): ignored a torn tail of \(spool.recoveredTornBytes) bytes"
            )
        }
        let thread = Thread { [self] in
            run()
            exited.signal()
        }
        thread.name = "nightshift.event-writer"
        thread.start()
    }

    // MARK: - Enqueueing

    /// Queues `event` for the store without blocking; a full queue sends it to the spool instead.
    public func enqueue(_ event: EventRecord) {
        let (accepted, wakeNow) = state.withLock { state -> (Bool, Bool) in
            state.counters.queued += 1
            guard !state.stopped, state.queue.count + state.held < configuration.queueCapacity else { return (false, false) }
            state.queue.append(event)
            return (true, state.queue.count == configuration.batchSize)
        }
        if wakeNow { wake.signal() }
        if !accepted { spoolOrLose([event], sync: false, reason: "queue full") }
    }

    /// Queues `events` in order under one lock; those that do not fit go to the spool, as with `enqueue(_:)`.
    public func enqueue(contentsOf events: [EventRecord]) {
        guard !events.isEmpty else { return }
        let (accepted, wakeNow) = state.withLock { state -> (Int, Bool) in
            state.counters.queued += events.count
            guard !state.stopped else { return (0, false) }
            let before = state.queue.count
            let room = max(0, configuration.queueCapacity - before - state.held)
            let accepted = min(room, events.count)
            if accepted == events.count {
                state.queue.append(contentsOf: events)
            } else {
                state.queue.append(contentsOf: events[..<accepted])
            }
            return (accepted, before < configuration.batchSize && state.queue.count >= configuration.batchSize)
        }
        if wakeNow { wake.signal() }
        if accepted < events.count { spoolOrLose(Array(events[accepted...]), sync: false, reason: "queue full") }
    }

    public func receive(_ event: EventRecord) {
        enqueue(event)
    }

    public func receive(contentsOf events: [EventRecord]) {
        enqueue(contentsOf: events)
    }

    /// The counters now.
    public var counters: Counters {
        let pending = spool.pendingBytes
        return state.withLock { state in
            var counters = state.counters
            counters.queueDepth = state.queue.count + state.held + state.inFlight
            counters.spoolBytes = pending
            return counters
        }
    }

    // MARK: - Flushing and stopping

    /// Makes the writer write everything queued now, trying the store at once even during a retry wait.
    ///
    /// Returns `true` when everything enqueued before the call is in the store (queue and spool empty), `false` when
    /// some of it is only in the spool (the store is away) or `timeout` passed. Either way nothing is lost. Events
    /// logged before the call to an `EventLogHandler` feeding this writer are handed over first, so they count too.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let handed = upstream.flush(timeout: timeout)
        let timeout = max(.zero, deadline - ContinuousClock.now)
        let ticket = state.withLock { state -> Int in
            state.flushRequested += 1
            return state.flushRequested
        }
        wake.signal()
        let served = Poll.until(timeout: timeout) {
            state.withLock { $0.flushCompleted >= ticket || $0.stopped }
        }
        return handed && served && state.withLock { $0.queue.isEmpty && $0.held == 0 && $0.inFlight == 0 }
            && !spool.hasPending
    }

    /// Flushes, then stops the writer thread and closes the spool; returns what the flush returned.
    ///
    /// Events enqueued afterwards are lost and reported. Whatever stays in the spool is replayed at the next start.
    @discardableResult
    public func shutdown(timeout: Duration) -> Bool {
        let start = ContinuousClock.now
        let flushed = flush(timeout: timeout)
        state.withLock { $0.stopRequested = true }
        wake.signal()
        let left = max(.milliseconds(100), timeout - (ContinuousClock.now - start))
        _ = exited.wait(timeout: .now() + left.dispatchInterval)
        spool.close()
        return flushed
    }

    /// Stops the thread without flushing and closes the spool, as if the process had been killed: queued events
    /// are dropped, spooled ones stay for the next writer.
    func abandon() {
        state.withLock { $0.abandonRequested = true }
        wake.signal()
        exited.wait()
        spool.close()
    }
}
