/// One event: a row in the event log, a line on stdout, an entry in the journal.
///
/// Every event names what happened (`eventType`: `attempt_failed`, `stream_connected`, `trade_executed`, or `log` for
/// a plain log line), who reported it (`source`: the plugin name or `host`; `instance`: the plugin instance or `host`),
/// and which process run it belongs to (`hostInstance`, `runId`). `id` is unique and sorts in time order.
public struct EventRecord: Sendable, Hashable {
    /// A UUIDv7: unique, and sorting the ids as text sorts the events by time.
    public var id: String
    /// When the event was created, in microseconds since the epoch (UTC).
    public var createdAt: Int64
    /// What happened, a snake_case name; `log` for plain log lines.
    public var eventType: String
    /// How much it matters.
    public var level: EventLevel
    /// The plugin that reported it, or `host`.
    public var source: String
    /// The plugin instance that reported it, or `host`.
    public var instance: String
    /// The host instance (one deployment on one machine).
    public var hostInstance: String
    /// The process run, new at every start, so a postmortem can tell restarts apart.
    public var runId: String
    /// A sentence for people.
    public var message: String
    /// Structured details, in the order given.
    public var fields: EventFields

    /// The `eventType` of plain log lines.
    public static let logType = "log"

    /// Creates an event; the id and the time default to now.
    public init(
        id: String? = nil,
        createdAt: Int64? = nil,
        eventType: String,
        level: EventLevel = .info,
        source: String = "host",
        instance: String = "host",
        hostInstance: String,
        runId: String,
        message: String = "",
        fields: EventFields = [:]
    ) {
        let createdAt = createdAt ?? EventTime.nowMicros()
        self.id = id ?? EventID.generate(atMicros: createdAt)
        self.createdAt = createdAt
        self.eventType = eventType
        self.level = level
        self.source = source
        self.instance = instance
        self.hostInstance = hostInstance
        self.runId = runId
        self.message = message
        self.fields = fields
    }
}

/// What every event of one process carries: the host instance and the run id.
public struct EventContext: Sendable, Hashable {
    /// The host instance name (from the deployment file, else the machine's host name).
    public var hostInstance: String
    /// This process run's id, a UUIDv7 made at start.
    public var runId: String

    /// Creates a context; the run id defaults to a fresh UUIDv7.
    public init(hostInstance: String, runId: String = EventID.generate()) {
        self.hostInstance = hostInstance
        self.runId = runId
    }
}
