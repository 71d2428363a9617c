/// The JSON shape of an event: one object per line on stdout, and the payload of a spool record.
///
/// ```json
/// {"id":"0190…","time":"2024-05-01T06:07:08.123456Z","created_at":1714543628123456,"type":"attempt_failed",
///  "level":"warning","source":"open-meteo","instance":"weather","host_instance":"bot-1","run_id":"0190…",
///  "message":"HTTP 503","fields":{"attempt":2,"delay_ms":800}}
/// ```
/// `time` is for people and tools that read timestamps; `created_at` is what is read back.
extension EventRecord {
    /// The event as one line of JSON (no trailing newline).
    public var jsonLine: String {
        var output = "{\"id\":" + JSONText.quoted(id)
        output += ",\"time\":\"" + EventTime.iso8601(createdAt) + "\""
        output += ",\"created_at\":" + String(createdAt)
        output += ",\"type\":" + JSONText.quoted(eventType)
        output += ",\"level\":\"" + level.rawValue + "\""
        output += ",\"source\":" + JSONText.quoted(source)
        output += ",\"instance\":" + JSONText.quoted(instance)
        output += ",\"host_instance\":" + JSONText.quoted(hostInstance)
        output += ",\"run_id\":" + JSONText.quoted(runId)
        output += ",\"message\":" + JSONText.quoted(message)
        output += ",\"fields\":" + JSONText.object(fields)
        return output + "}"
    }

    /// Reads an event back from `jsonLine` text; `nil` when a member is missing or has the wrong kind.
    public init?(jsonLine text: String) {
        guard let value = JSONValue.parse(text) else { return nil }
        self.init(json: value)
    }

    init?(json value: JSONValue) {
        guard let id = value["id"]?.string, let createdAt = value["created_at"]?.int,
              let eventType = value["type"]?.string,
              let level = value["level"]?.string.flatMap(EventLevel.init(rawValue:)),
              let source = value["source"]?.string, let instance = value["instance"]?.string,
              let hostInstance = value["host_instance"]?.string, let runId = value["run_id"]?.string,
              let message = value["message"]?.string, let fields = value["fields"].flatMap(EventFields.init(json:))
        else { return nil }
        self.init(
            id: id, createdAt: createdAt, eventType: eventType, level: level, source: source, instance: instance,
            hostInstance: hostInstance, runId: runId, message: message, fields: fields
        )
    }
}

extension EventFields {
    /// The fields as a JSON object, keys in order.
    public var jsonText: String { JSONText.object(self) }

    /// Reads fields from a JSON object's text; `nil` when it is not an object.
    public init?(jsonText: String) {
        guard let value = JSONValue.parse(jsonText) else { return nil }
        self.init(json: value)
    }

    init?(json value: JSONValue) {
        guard case .object(let pairs) = value else { return nil }
        self.init(pairs.map { ($0.0, $0.1.fieldValue) })
    }
}
