/// A batch of events as the input of `COPY … FROM STDIN` in PostgreSQL's text format, for the staging table.
///
/// One line per event, columns separated by tabs, in the order of `PostgresCopyRows.columns`. In text format a
/// backslash, newline, carriage return or tab inside a value is written as `\\`, `\n`, `\r`, `\t`; nothing else is
/// special. U+0000, which PostgreSQL text and JSONB cannot hold, becomes U+FFFD, as with bound parameters. The time
/// travels as integer microseconds and becomes a timestamptz in the `INSERT … SELECT` that moves the rows on.
struct PostgresCopyRows {
    /// The staging table: per session, emptied at every commit.
    static let table = "pg_temp.nightshift_incoming_events"

    /// Creates the staging table if this session has none.
    static let createTable = """
        CREATE TEMP TABLE IF NOT EXISTS \(table) (
            id TEXT, created_at BIGINT, event_type TEXT, level TEXT, source TEXT, instance TEXT,
            host_instance TEXT, run_id TEXT, message TEXT, fields TEXT) ON COMMIT DELETE ROWS
        """

    /// Starts the copy into the staging table.
    static let copy = "COPY \(table) "
        + "(id, created_at, event_type, level, source, instance, host_instance, run_id, message, fields) FROM STDIN"

    /// Moves the staged rows into the event table, skipping ids already there; the affected rows are the new ones.
    static let insert = "INSERT INTO \(EventSchema.table) "
        + "(id, created_at, event_type, level, source, instance, host_instance, run_id, message, fields) "
        + "SELECT id, timestamptz 'epoch' + created_at * interval '1 microsecond', event_type, level, source, "
        + "instance, host_instance, run_id, message, fields::jsonb FROM \(table) ON CONFLICT (id) DO NOTHING"

    /// The encoded rows.
    private(set) var bytes: [UInt8] = []
    private var json: [UInt8] = []

    /// Encodes `events`.
    init(_ events: some Collection<EventRecord>) {
        bytes.reserveCapacity(events.count * 320)
        for event in events { append(event) }
    }

    private mutating func append(_ event: EventRecord) {
        appendText(event.id)
        bytes.append(0x09)
        JSONBytes.appendInteger(event.createdAt, to: &bytes)
        for text in [event.eventType, event.level.rawValue, event.source, event.instance, event.hostInstance,
                     event.runId, event.message] {
            bytes.append(0x09)
            appendText(text)
        }
        bytes.append(0x09)
        json.removeAll(keepingCapacity: true)
        JSONBytes.appendObject(event.fields, to: &json, replacingNUL: true)
        json.withUnsafeBufferPointer { appendEscaped($0) }
        bytes.append(0x0A)
    }

    private mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    private mutating func appendEscaped(_ value: UnsafeBufferPointer<UInt8>) {
        var plain = true
        for byte in value where byte == 0x5C || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x00 {
            plain = false
            break
        }
        if plain {
            bytes.append(contentsOf: value)
            return
        }
        for byte in value {
            switch byte {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
    }
}
