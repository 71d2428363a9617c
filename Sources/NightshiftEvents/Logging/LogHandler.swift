import Synchronization

/// Receives the events loggers build and passes them on; the seam between `Logger` and the sinks.
///
/// `log(_:)` runs on the caller's thread and must not block: enqueue and return (`EventLogHandler` redacts on its own
/// thread, before any sink sees the event).
public protocol LogHandler: Sendable {
    /// The host instance and run id every event from this handler carries.
    var context: EventContext { get }

    /// Takes one event.
    func log(_ event: consuming EventRecord)

    /// Takes one event given by its parts, created now and stamped with `context`; by default builds the record and
    /// calls `log(_:)`. `EventLogHandler` leaves the id's text to its own thread.
    func log(_ eventType: String, level: EventLevel, source: String, instance: String, message: String, fields: consuming EventFields)
}

extension LogHandler {
    public func log(
        _ eventType: String, level: EventLevel, source: String, instance: String, message: String,
        fields: consuming EventFields
    ) {
        let context = self.context
        log(EventRecord(
            eventType: eventType, level: level, source: source, instance: instance,
            hostInstance: context.hostInstance, runId: context.runId, message: message, fields: fields))
    }
}

/// Somewhere events end up: stdout, the journal, the event store.
///
/// A sink receives events that are already redacted. `receive(_:)` must not block the caller; a sink with slow I/O
/// queues and writes on its own thread.
public protocol EventSink: Sendable {
    /// Takes one event, without blocking.
    func receive(_ event: EventRecord)

    /// Takes several events in order, without blocking; by default one `receive(_:)` each.
    func receive(contentsOf events: [EventRecord])

    /// Waits until everything received so far is written, at most `timeout`; returns whether it all was.
    func flush(timeout: Duration) -> Bool
}

extension EventSink {
    public func receive(contentsOf events: [EventRecord]) {
        for event in events { receive(event) }
    }
}

/// The process-wide default handler, used by `Logger(label:)` when no handler is given.
///
/// Until `bootstrap(_:)` is called the default writes JSON lines to stdout, redacting by shape only.
public enum LoggingSystem {
    private static let current = Mutex<(any LogHandler)?>(nil)

    /// Makes `handler` the default for loggers created from now on.
    public static func bootstrap(_ handler: any LogHandler) {
        current.withLock { $0 = handler }
    }

    /// The default handler.
    public static var handler: any LogHandler {
        current.withLock { current in
            if let current { return current }
            let fallback = EventLogHandler(
                context: EventContext(hostInstance: HostName.current), sinks: [JSONLinesSink.standardOutput]
            )
            current = fallback
            return fallback
        }
    }
}
