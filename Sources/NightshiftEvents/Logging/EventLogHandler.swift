#if canImport(Glibc)
import Glibc
#endif

/// The standard handler: hands each event to its dispatch thread, which redacts it and then passes it to every sink.
///
/// The calling thread only queues the event (see `EventDispatcher`): redaction, and building fields the caller
/// deferred, happen on the handler's own thread, before any sink sees the event, so stdout, the journal and the event
/// store hold the same text and none of them a secret. Sinks queue in turn; nothing here waits on I/O. When the
/// handler's queue is full the caller redacts and delivers the event itself, so nothing is dropped (such an event may
/// reach the sinks ahead of ones still queued; ids keep their order). The built-in sinks' own `flush` (`EventWriter`,
/// `JSONLinesSink`, `JournaldSink`) waits for the handlers feeding them, so events logged before it are covered.
public final class EventLogHandler: LogHandler {
    /// The host instance and run id stamped on events by loggers using this handler.
    public let context: EventContext
    /// What is removed from every event.
    public let redactor: Redactor
    /// Where events go, in order.
    public let sinks: [any EventSink]
    private let dispatcher: EventDispatcher
    private let deliver: @Sendable ([PendingEvent]) -> Void

    /// Creates a handler and starts its thread; at most `queueCapacity` events wait for it.
    public init(context: EventContext, redactor: Redactor = Redactor(), sinks: [any EventSink], queueCapacity: Int = 10_000) {
        self.context = context
        self.redactor = redactor
        self.sinks = sinks
        let deliver: @Sendable ([PendingEvent]) -> Void = { [redactor, sinks] batch in
            var clean: [EventRecord] = []
            clean.reserveCapacity(batch.count)
            for pending in batch { clean.append(redactor.redact(pending.assembled())) }
            for sink in sinks { sink.receive(contentsOf: clean) }
        }
        self.deliver = deliver
        dispatcher = EventDispatcher(name: "nightshift.event-dispatch", capacity: queueCapacity, deliver: deliver)
        for case let sink as any UpstreamAwareSink in sinks { sink.upstream.add(dispatcher) }
    }

    deinit {
        dispatcher.stop(timeout: .seconds(1))
    }

    public func log(_ event: consuming EventRecord) {
        submit(PendingEvent(event: event, deferred: nil))
    }

    /// Logs `event` with `fields` added after its own, built on the dispatch thread rather than the caller's.
    ///
    /// For callers that hold fields in another shape (an unordered dictionary to be sorted): they pass it as it is
    /// and pay nothing for the conversion.
    public func log(_ event: consuming EventRecord, adding fields: consuming any DeferredEventFields) {
        submit(PendingEvent(event: event, deferred: fields))
    }

    /// Logs an event given by its parts, stamped with this handler's context and created now; `fields` are added
    /// after `fields` on the handler's thread, and the id's text is made there too (its order is fixed now).
    public func log(
        _ eventType: String, level: EventLevel, source: String, instance: String, message: String,
        fields: consuming EventFields = EventFields(), adding deferred: consuming (any DeferredEventFields)?
    ) {
        let createdAt = EventTime.nowMicros()
        let reserved = EventID.reserve(atMicros: createdAt)
        let event = EventRecord(
            id: "", createdAt: createdAt, eventType: eventType, level: level, source: source, instance: instance,
            hostInstance: context.hostInstance, runId: context.runId, message: message, fields: fields)
        submit(PendingEvent(event: event, deferred: deferred, reservedID: reserved))
    }

    public func log(
        _ eventType: String, level: EventLevel, source: String, instance: String, message: String,
        fields: consuming EventFields
    ) {
        log(eventType, level: level, source: source, instance: instance, message: message, fields: fields,
            adding: nil)
    }

    private func submit(_ pending: consuming PendingEvent) {
        if let refused = dispatcher.submit(pending) { deliver([refused]) }
    }

    /// Delivers what is queued, then flushes every sink, sharing `timeout` between them; returns whether all of them
    /// finished.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var complete = dispatcher.flush(timeout: timeout)
        for sink in sinks {
            let left = max(.zero, deadline - ContinuousClock.now)
            if !sink.flush(timeout: left) { complete = false }
        }
        return complete
    }
}

/// Fields a caller leaves for the handler's thread to build, in whatever shape the caller holds them.
///
/// `EventLogHandler.log(_:adding:)` calls `eventFields()` once, on its own thread, before redaction.
public protocol DeferredEventFields: Sendable {
    /// The fields, in the order the event should carry them.
    func eventFields() -> EventFields
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
