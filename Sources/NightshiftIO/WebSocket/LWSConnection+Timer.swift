import CWebSockets

/// The link's one scheduler entry: the connect deadline before the link opens, the ping interval after.
///
/// Uses libwebsockets' `lws_sul` scheduler, which fires on the service thread. The entry sits in memory owned here,
/// followed by an unretained pointer back to the connection so the C callback can find it.
final class LWSTimer {
    private let memory: UnsafeMutableRawPointer
    private var entry: UnsafeMutablePointer<lws_sorted_usec_list_t> {
        memory.assumingMemoryBound(to: lws_sorted_usec_list_t.self)
    }

    init(owner: LWSConnection) {
        let entrySize = MemoryLayout<lws_sorted_usec_list_t>.stride
        memory = UnsafeMutableRawPointer.allocate(
            byteCount: entrySize + MemoryLayout<UnsafeMutableRawPointer>.stride,
            alignment: max(MemoryLayout<lws_sorted_usec_list_t>.alignment, 16))
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: entrySize)
        memory.bindMemory(to: lws_sorted_usec_list_t.self, capacity: 1)
        let ownerPointer = Unmanaged.passUnretained(owner).toOpaque()
        (memory + entrySize).storeBytes(of: ownerPointer, as: UnsafeMutableRawPointer.self)
    }

    deinit {
        memory.deallocate()
    }

    /// Fires `LWSConnection.timerFired()` after `delay`, replacing any earlier schedule.
    func schedule(on context: OpaquePointer, after delay: Duration) {
        lws_sul_schedule(context, 0, entry, timerFired, LWSConnection.microseconds(delay))
    }

    /// Removes the entry from the scheduler; required before the context is destroyed.
    func cancel() {
        lws_sul_cancel(entry)
    }

    /// The connection whose entry starts at `entry`.
    fileprivate static func owner(of entry: UnsafeMutablePointer<lws_sorted_usec_list_t>) -> LWSConnection {
        let raw = UnsafeRawPointer(entry) + MemoryLayout<lws_sorted_usec_list_t>.stride
        let owner = raw.load(as: UnsafeMutableRawPointer.self)
        return Unmanaged<LWSConnection>.fromOpaque(owner).takeUnretainedValue()
    }
}

private let timerFired: sul_cb_t = { entry in
    guard let entry else { return }
    LWSTimer.owner(of: entry).timerFired()
}

extension LWSConnection {
    /// The connect deadline passed or the owner abandoned the attempt (before opening), or a ping is due (after).
    func timerFired() {
        guard let client = clientSlot.pointee else { return }
        let phase = core.session.withLock { $0.phase }
        switch phase {
        case .connecting:
            // After close() this yields the owner's close; otherwise the deadline passed.
            let timeout = core.configuration.connectTimeout
            core.emit(core.session.withLock {
                $0.fail(TransportError(code: .timeout, message: "the link did not open within \(timeout)"))
            })
            // Safe here: the scheduler is not inside a callback of this wsi; lws closes its own timeouts this way.
            lws_set_timeout(client, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC)
        case .open:
            if core.session.withLock({ $0.markPingDue() }) { _ = lws_callback_on_writable(client) }
            schedulePing()
        case .closing, .finished:
            break
        }
    }

    /// Schedules the next ping if pings are configured.
    func schedulePing() {
        guard let context, let interval = core.configuration.pingInterval else { return }
        timer.schedule(on: context, after: interval)
    }
}
