import Synchronization

/// The event log of a replay: every event goes on to the real log, and the trading ones are tallied on the way.
///
/// The summary is computed from the very events that are written, so its numbers are the event rows' numbers.
public final class ReplayTally: HostLog {
    private let next: any HostLog
    private let ledgerState = Mutex(ReplayLedger())

    /// A tally in front of `next`.
    public init(forwardingTo next: any HostLog) {
        self.next = next
    }

    /// The tally so far.
    public var ledger: ReplayLedger { ledgerState.withLock { $0 } }

    public func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        ledgerState.withLock { $0.record(type, fields: fields) }
        next.record(type, level: level, instance: instance, message: message, fields: fields)
    }
}
