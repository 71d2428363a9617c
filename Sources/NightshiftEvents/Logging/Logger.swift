/// The front door of the event log, in the shape of apple/swift-log.
///
/// A logger is a cheap value: copy it, give the copy more `metadata` or a lower `logLevel`, hand it to a plugin.
/// `info(_:metadata:)` and its siblings record plain log lines (event type `log`); `event(_:level:message:metadata:)`
/// records a typed event such as `attempt_failed`. Either way the calling thread only builds an `EventRecord` and
/// hands it to the `LogHandler`, which stamps nothing slow on the path: it redacts and enqueues.
///
/// ```swift
/// var logger = Logger(label: "open-meteo", instance: "weather-eu", handler: handler)
/// logger[metadataKey: "city"] = "Berlin"
/// logger.info("forecast fetched", metadata: ["members": 31])
/// logger.event("attempt_failed", level: .warning, message: "HTTP 503", metadata: ["attempt": 2, "delay_ms": 800])
/// ```
public struct Logger: Sendable {
    /// How much an event matters.
    public typealias Level = EventLevel
    /// A metadata value: string, integer, double, boolean or null.
    public typealias MetadataValue = FieldValue
    /// Metadata attached to a log line.
    public typealias Metadata = [String: MetadataValue]

    /// What this logger was created for; the default `source` and `instance`.
    public let label: String
    /// The plugin name, or `host`, stamped on every event.
    public var source: String
    /// The plugin instance name, or `host`, stamped on every event.
    public var instance: String
    /// Events below this level are not built at all.
    public var logLevel: Level = .info
    /// Metadata added to every event from this logger (before the call's own, which wins on a clash).
    public var metadata: Metadata = [:]
    /// Where events go.
    public var handler: any LogHandler

    /// Creates a logger; `source` and `instance` default to `label`, `handler` to `LoggingSystem`'s.
    public init(label: String, source: String? = nil, instance: String? = nil, handler: (any LogHandler)? = nil) {
        self.label = label
        self.source = source ?? label
        self.instance = instance ?? label
        self.handler = handler ?? LoggingSystem.handler
    }

    /// One metadata value of this logger.
    public subscript(metadataKey key: String) -> MetadataValue? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    // MARK: - Typed events

    /// Records a typed event (`attempt_failed`, `stream_connected`, `trade_executed`).
    ///
    /// `metadata` keeps the order it is written in; the logger's own metadata comes first.
    public func event(
        _ type: String,
        level: Level = .info,
        message: @autoclosure () -> String = "",
        metadata: @autoclosure () -> EventFields = [:]
    ) {
        guard level >= logLevel else { return }
        emit(type: type, level: level, message: message(), fields: EventFields(self.metadata).merging(metadata()))
    }

    // MARK: - Log lines

    /// Records a log line at `level`.
    public func log(level: Level, _ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        guard level >= logLevel else { return }
        var fields = EventFields(self.metadata)
        if let extra = metadata() { fields = fields.merging(EventFields(extra)) }
        emit(type: EventRecord.logType, level: level, message: message(), fields: fields)
    }

    /// Records a `trace` log line.
    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .trace, message(), metadata: metadata())
    }

    /// Records a `debug` log line.
    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .debug, message(), metadata: metadata())
    }

    /// Records an `info` log line.
    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .info, message(), metadata: metadata())
    }

    /// Records a `notice` log line.
    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .notice, message(), metadata: metadata())
    }

    /// Records a `warning` log line.
    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .warning, message(), metadata: metadata())
    }

    /// Records an `error` log line.
    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .error, message(), metadata: metadata())
    }

    /// Records a `critical` log line.
    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .critical, message(), metadata: metadata())
    }

    // MARK: - Building

    private func emit(type: String, level: Level, message: String, fields: EventFields) {
        handler.log(type, level: level, source: source, instance: instance, message: message, fields: fields)
    }
}
