#if canImport(Glibc)
import Glibc
#endif

/// The standard handler: redacts each event, then hands it to every sink.
///
/// Redaction happens here, once, before any sink sees the event, so stdout, the journal and the event store hold the
/// same text and none of them a secret. Sinks queue; nothing here waits on I/O.
public final class EventLogHandler: LogHandler {
    /// The host instance and run id stamped on events by loggers using this handler.
    public let context: EventContext
    /// What is removed from every event.
    public let redactor: Redactor
    /// Where events go, in order.
    public let sinks: [any EventSink]

    /// Creates a handler.
    public init(context: EventContext, redactor: Redactor = Redactor(), sinks: [any EventSink]) {
        self.context = context
        self.redactor = redactor
        self.sinks = sinks
    }

    public func log(_ event: EventRecord) {
        let clean = redactor.redact(event)
        for sink in sinks { sink.receive(clean) }
    }

    /// Flushes every sink, sharing `timeout` between them; returns whether all of them finished.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var complete = true
        for sink in sinks {
            let left = max(.zero, deadline - ContinuousClock.now)
            if !sink.flush(timeout: left) { complete = false }
        }
        return complete
    }
}

/// This machine's host name, the default host instance.
enum HostName {
    static var current: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "host" : name
    }
}
