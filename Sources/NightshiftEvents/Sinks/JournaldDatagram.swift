/// The journald native protocol: one datagram of fields, each `KEY=value\n`, or for values containing a newline
/// `KEY\n` + 64-bit little-endian length + value + `\n`.
///
/// Keys are uppercase ASCII letters, digits and underscores, not starting with an underscore, at most 64 bytes.
enum JournaldDatagram {
    /// The datagram for `event`: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, the `NIGHTSHIFT_*` identity fields and,
    /// when `includeFields`, each event field as `NIGHTSHIFT_F_<KEY>`.
    static func encode(_ event: EventRecord, identifier: String, includeFields: Bool, messageLimit: Int?) -> [UInt8] {
        var message = event.message.isEmpty ? event.eventType : event.message
        if let messageLimit, message.utf8.count > messageLimit {
            message = String(decoding: message.utf8.prefix(messageLimit), as: UTF8.self) + "…"
        }
        var output = [UInt8]()
        append(&output, "MESSAGE", message)
        append(&output, "PRIORITY", String(event.level.syslogPriority))
        append(&output, "SYSLOG_IDENTIFIER", identifier)
        append(&output, "NIGHTSHIFT_EVENT_ID", event.id)
        append(&output, "NIGHTSHIFT_EVENT_TYPE", event.eventType)
        append(&output, "NIGHTSHIFT_LEVEL", event.level.rawValue)
        append(&output, "NIGHTSHIFT_SOURCE", event.source)
        append(&output, "NIGHTSHIFT_INSTANCE", event.instance)
        append(&output, "NIGHTSHIFT_HOST_INSTANCE", event.hostInstance)
        append(&output, "NIGHTSHIFT_RUN_ID", event.runId)
        if includeFields {
            for (key, value) in event.fields { append(&output, fieldKey(key), value.description) }
        }
        return output
    }

    /// `NIGHTSHIFT_F_` + the key uppercased, other bytes as `_`, cut to journald's 64-byte limit.
    static func fieldKey(_ key: String) -> String {
        let body = key.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - 32
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            default: UInt8(ascii: "_")
            }
        }
        return String(decoding: Array("NIGHTSHIFT_F_".utf8 + body).prefix(64), as: UTF8.self)
    }

    private static func append(_ output: inout [UInt8], _ key: String, _ value: String) {
        output.append(contentsOf: key.utf8)
        if value.utf8.contains(0x0A) {
            output.append(0x0A)
            var length = UInt64(value.utf8.count).littleEndian
            withUnsafeBytes(of: &length) { output.append(contentsOf: $0) }
            output.append(contentsOf: value.utf8)
        } else {
            output.append(UInt8(ascii: "="))
            output.append(contentsOf: value.utf8)
        }
        output.append(0x0A)
    }
}
