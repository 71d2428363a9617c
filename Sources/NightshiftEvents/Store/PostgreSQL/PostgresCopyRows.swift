/// A batch of events as the input of `COPY … FROM STDIN` in PostgreSQL's text format.
///
/// One line per event, columns separated by tabs, in the order of `columns`. In text format a backslash, newline,
/// carriage return or tab inside a value is written as `\\`, `\n`, `\r`, `\t`; nothing else is special. U+0000,
/// which PostgreSQL text and JSONB cannot hold, becomes U+FFFD, as with bound parameters. The time is written as
/// `EventTime.postgresText` spells it, the fields as their JSON text.
///
/// A batch is copied straight into `bot_events`; only when that meets an id already stored (a replay after a crash)
/// is it copied into a per-session staging table and moved on with `INSERT … ON CONFLICT (id) DO NOTHING`, which
/// skips the duplicates.
struct PostgresCopyRows {
    static let columns = "(id, created_at, event_type, level, source, instance, host_instance, run_id, message, fields)"

    /// The straight copy into the event table.
    static let copy = "COPY \(EventSchema.table) \(columns) FROM STDIN"

    /// The staging table: per session, emptied at every commit.
    static let stagingTable = "pg_temp.nightshift_incoming_events"

    /// Creates the staging table if this session has none.
    static let createStagingTable = """
        CREATE TEMP TABLE IF NOT EXISTS \(stagingTable) (
            id TEXT, created_at TIMESTAMPTZ, event_type TEXT, level TEXT, source TEXT, instance TEXT,
            host_instance TEXT, run_id TEXT, message TEXT, fields JSONB) ON COMMIT DELETE ROWS
        """

    /// The copy into the staging table.
    static let copyToStaging = "COPY \(stagingTable) \(columns) FROM STDIN"

    /// Moves the staged rows into the event table, skipping ids already there; the affected rows are the new ones.
    static let insertFromStaging = "INSERT INTO \(EventSchema.table) \(columns) SELECT \(columns.dropFirst().dropLast()) "
        + "FROM \(stagingTable) ON CONFLICT (id) DO NOTHING"

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
        EventTime.appendPostgresText(event.createdAt, to: &bytes)
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
