import NightshiftJSON

/// The JSON shape of an event: one object per line on stdout, and the payload of a spool record.
///
/// ```json
/// {"id":"0190…","time":"2024-05-01T06:07:08.123456Z","created_at":1714543628123456,"type":"attempt_failed",
///  "level":"warning","source":"open-meteo","instance":"weather","host_instance":"bot-1","run_id":"0190…",
///  "message":"HTTP 503","fields":{"attempt":2,"delay_ms":800}}
/// ```
/// `time` is for people and tools that read timestamps; `created_at` is what is read back. Every event the logger
/// emits is written here, so the line is built by appending to one string.
extension EventRecord {
    /// The event as one line of JSON (no trailing newline).
    public var jsonLine: String {
        var output = "{\"id\":"
        output.reserveCapacity(256 + message.utf8.count)
        JSONString.appendQuoted(id, to: &output)
        output += ",\"time\":\""
        output += EventTime.iso8601(createdAt)
        output += "\",\"created_at\":"
        output += String(createdAt)
        output += ",\"type\":"
        JSONString.appendQuoted(eventType, to: &output)
        output += ",\"level\":\""
        output += level.rawValue
        output += "\",\"source\":"
        JSONString.appendQuoted(source, to: &output)
        output += ",\"instance\":"
        JSONString.appendQuoted(instance, to: &output)
        output += ",\"host_instance\":"
        JSONString.appendQuoted(hostInstance, to: &output)
        output += ",\"run_id\":"
        JSONString.appendQuoted(runId, to: &output)
        output += ",\"message\":"
        JSONString.appendQuoted(message, to: &output)
        output += ",\"fields\":"
        fields.appendJSON(to: &output)
        output += "}"
        return output
    }

    /// Reads an event back from `jsonLine` text; `nil` when it is not JSON, or a member is missing or has the wrong
    /// kind.
    public init?(jsonLine text: String) {
        guard let value = try? JSONParser.parse(text) else { return nil }
        self.init(json: value)
    }

    init?(json value: JSONValue) {
        guard let id = value["id"]?.stringValue, let createdAt = value["created_at"]?.integerValue,
              let eventType = value["type"]?.stringValue,
              let level = value["level"]?.stringValue.flatMap(EventLevel.init(rawValue:)),
              let source = value["source"]?.stringValue, let instance = value["instance"]?.stringValue,
              let hostInstance = value["host_instance"]?.stringValue, let runId = value["run_id"]?.stringValue,
              let message = value["message"]?.stringValue, let fields = value["fields"].flatMap(EventFields.init(json:))
        else { return nil }
        self.init(
            id: id, createdAt: createdAt, eventType: eventType, level: level, source: source, instance: instance,
            hostInstance: hostInstance, runId: runId, message: message, fields: fields
        )
    }
}
