import Dispatch
import Foundation
import Synchronization

/// A bounded queue with one thread that drains it in batches: the shell that keeps slow writes off callers' threads.
///
/// `submit(_:)` never blocks: when the queue is full it refuses the element and counts it, and the thread reports the
/// count on stderr once it catches up. The thread wakes when elements arrive and hands everything queued to `handler`
/// in one call.
final class BackgroundDrain<Element: Sendable>: Sendable {
    private struct State {
        var queue: [Element] = []
        var submitted = 0
        var processed = 0
        var refused = 0
        var refusedReported = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let capacity: Int
    private let name: String
    private let handler: @Sendable ([Element]) -> Void

    /// Starts the draining thread, named `name`.
    init(name: String, capacity: Int, handler: @escaping @Sendable ([Element]) -> Void) {
        self.capacity = max(1, capacity)
        self.name = name
        self.handler = handler
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Queues `element`; returns `false` (and counts it) when the queue is full or stopping.
    @discardableResult
    func submit(_ element: Element) -> Bool {
        let (accepted, first) = state.withLock { state -> (Bool, Bool) in
            guard !state.stopping, state.queue.count < capacity else {
                state.refused += 1
                return (false, false)
            }
            state.queue.append(element)
            state.submitted += 1
            return (true, state.queue.count == 1)
        }
        if first { wake.signal() }
        return accepted
    }

    /// Queues as many of `elements` as fit, in order, under one lock; refuses (and counts) the rest.
    func submit(contentsOf elements: [Element]) {
        guard !elements.isEmpty else { return }
        let first = state.withLock { state -> Bool in
            let room = state.stopping ? 0 : max(0, capacity - state.queue.count)
            let taken = min(room, elements.count)
            state.refused += elements.count - taken
            guard taken > 0 else { return false }
            let wasEmpty = state.queue.isEmpty
            if taken == elements.count {
                state.queue.append(contentsOf: elements)
            } else {
                state.queue.append(contentsOf: elements[..<taken])
            }
            state.submitted += taken
            return wasEmpty
        }
        if first { wake.signal() }
    }

    /// How many elements were refused because the queue was full.
    var refusedCount: Int { state.withLock { $0.refused } }

    /// Waits until everything submitted before the call has been handled, at most `timeout`.
    func flush(timeout: Duration) -> Bool {
        let target = state.withLock { $0.submitted }
        wake.signal()
        return Poll.until(timeout: timeout) { state.withLock { $0.processed >= target } }
    }

    /// Drains what is queued, then ends the thread; waits at most `timeout`.
    func stop(timeout: Duration) {
        state.withLock { $0.stopping = true }
        wake.signal()
        _ = finished.wait(timeout: .now() + timeout.dispatchInterval)
    }

    private func run() {
        while true {
            wake.wait()
            while true {
                let (batch, stopping) = state.withLock { state -> ([Element], Bool) in
                    defer { state.queue.removeAll(keepingCapacity: true) }
                    return (state.queue, state.stopping)
                }
                if batch.isEmpty {
                    if stopping { finished.signal(); return }
                    break
                }
                handler(batch)
                let newlyRefused = state.withLock { state -> Int in
                    state.processed += batch.count
                    defer { state.refusedReported = state.refused }
                    return state.refused - state.refusedReported
                }
                if newlyRefused > 0 {
                    FileDescriptorWriter.reportToStandardError("\(name): queue full, dropped \(newlyRefused) events")
                }
            }
        }
    }
}

/// Waiting for a condition by polling, for flushes that must give up after a timeout.
enum Poll {
    /// Checks `condition` every millisecond until it holds or `timeout` passes; returns whether it held.
    static func until(timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if condition() { return true }
            if ContinuousClock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }
}

extension Duration {
    /// The duration for Dispatch timeouts.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanos.overflow, nanos.partialValue < Int64(Int.max) / 2 else { return .never }
        return .nanoseconds(Int(nanos.partialValue + attoseconds / 1_000_000_000))
    }
}

/// A counter shared between threads.
final class EventCounter: Sendable {
    private let storage = Atomic<Int>(0)

    func add(_ amount: Int) { storage.add(amount, ordering: .relaxed) }

    var value: Int { storage.load(ordering: .relaxed) }
}
