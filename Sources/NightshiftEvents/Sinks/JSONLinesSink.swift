/// Writes each event as one line of JSON to a file descriptor, stdout by default: what journald collects from a
/// service.
///
/// Lines are written on a background thread in batches. When the queue is full (stdout blocked for long) lines are
/// dropped, counted, and the count reported on stderr once the sink catches up; the event store, not stdout, is the
/// log that loses nothing. The process should ignore `SIGPIPE`, so a closed stdout fails a write, not the process.
public final class JSONLinesSink: EventSink, UpstreamAwareSink {
    private let drain: BackgroundDrain<EventRecord>
    let upstream = UpstreamStages()

    /// A sink on file descriptor 1.
    public static let standardOutput = JSONLinesSink(fileDescriptor: 1)

    /// Creates a sink writing to `fileDescriptor` (which the sink never closes), queueing at most `capacity` events.
    public init(fileDescriptor: Int32, capacity: Int = 10_000) {
        drain = BackgroundDrain(name: "stdout event sink", capacity: capacity) { events in
            var bytes = [UInt8]()
            for event in events {
                event.appendJSONLine(to: &bytes)
                bytes.append(0x0A)
            }
            FileDescriptorWriter.writeAll(fileDescriptor, bytes)
        }
    }

    deinit {
        drain.stop(timeout: .seconds(1))
    }

    public func receive(_ event: EventRecord) {
        drain.submit(event)
    }

    public func receive(contentsOf events: [EventRecord]) {
        drain.submit(contentsOf: events)
    }

    /// Waits until every event received, or logged to a handler feeding this sink, before the call is written.
    public func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let handed = upstream.flush(timeout: timeout)
        return drain.flush(timeout: max(.zero, deadline - ContinuousClock.now)) && handed
    }

    /// How many events were dropped because the queue was full.
    public var droppedCount: Int { drain.refusedCount }
}
