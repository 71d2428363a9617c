import NightshiftJSON

/// The JSON shape of an event: one object per line on stdout, and the payload of a spool record.
///
/// ```json
/// {"id":"0190…","time":"2024-05-01T06:07:08.123456Z","created_at":1714543628123456,"type":"attempt_failed",
///  "level":"warning","source":"open-meteo","instance":"weather","host_instance":"bot-1","run_id":"0190…",
///  "message":"HTTP 503","fields":{"attempt":2,"delay_ms":800}}
/// ```
/// `time` is for people and tools that read timestamps; `created_at` is what is read back. Every event the logger
/// emits is written here, so the line is built by appending bytes to one buffer (see `JSONBytes`).
extension EventRecord {
    /// The event as one line of JSON (no trailing newline).
    public var jsonLine: String {
        var output: [UInt8] = []
        appendJSONLine(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the event as one line of JSON (no trailing newline) to `output`.
    func appendJSONLine(to output: inout [UInt8]) {
        output.reserveCapacity(output.count + 256 + message.utf8.count)
        output.append(contentsOf: #"{"id":"#.utf8)
        JSONBytes.appendQuoted(id, to: &output)
        output.append(contentsOf: #","time":""#.utf8)
        EventTime.appendISO8601(createdAt, to: &output)
        output.append(contentsOf: #"","created_at":"#.utf8)
        JSONBytes.appendInteger(createdAt, to: &output)
        output.append(contentsOf: #","type":"#.utf8)
        JSONBytes.appendQuoted(eventType, to: &output)
        output.append(contentsOf: #","level":""#.utf8)
        output.append(contentsOf: level.rawValue.utf8)
        output.append(contentsOf: #"","source":"#.utf8)
        JSONBytes.appendQuoted(source, to: &output)
        output.append(contentsOf: #","instance":"#.utf8)
        JSONBytes.appendQuoted(instance, to: &output)
        output.append(contentsOf: #","host_instance":"#.utf8)
        JSONBytes.appendQuoted(hostInstance, to: &output)
        output.append(contentsOf: #","run_id":"#.utf8)
        JSONBytes.appendQuoted(runId, to: &output)
        output.append(contentsOf: #","message":"#.utf8)
        JSONBytes.appendQuoted(message, to: &output)
        output.append(contentsOf: #","fields":"#.utf8)
        JSONBytes.appendObject(fields, to: &output)
        output.append(UInt8(ascii: "}"))
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
