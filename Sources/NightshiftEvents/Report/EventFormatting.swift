import NightshiftJSON

/// Text tables and JSON for `nightshift events`: what an operator reads in a terminal or pipes into `jq`.
///
/// Table cells have control characters escaped, so a message cannot move the cursor or clear the screen.
public enum EventFormatting {
    // MARK: - Tables

    /// `EVENT TYPE  COUNT  FIRST SEEN (UTC)  LAST SEEN (UTC)`, counts right-aligned, one row per type.
    public static func summaryTable(_ rows: [EventSummaryRow]) -> String {
        table(
            header: ["EVENT TYPE", "COUNT", "FIRST SEEN (UTC)", "LAST SEEN (UTC)"],
            rows: rows.map {
                [$0.eventType, String($0.count), EventTime.short($0.firstSeen), EventTime.short($0.lastSeen)]
            },
            rightAligned: [1]
        )
    }

    /// `TIME  LEVEL  TYPE  INSTANCE  MESSAGE`, the message followed by the fields as `key=value`.
    public static func eventsTable(_ events: [EventRecord]) -> String {
        table(
            header: ["TIME (UTC)", "LEVEL", "TYPE", "INSTANCE", "MESSAGE"],
            rows: events.map { event in
                let fields = event.fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                let message = [event.message, fields].filter { !$0.isEmpty }.joined(separator: " ")
                return [EventTime.iso8601(event.createdAt), event.level.rawValue, event.eventType, event.instance,
                        message]
            },
            rightAligned: []
        )
    }

    /// Aligned columns separated by two spaces; the last column is not padded.
    public static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        let cells = ([header] + rows).map { $0.map(escapeControlCharacters) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return cells.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if rightAligned.contains(index) { return padding + cell }
                return index == row.count - 1 ? cell : cell + padding
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `text` with control characters shown as `\n`, `\t` or `\u{1B}`.
    public static func escapeControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if isControl(scalar) {
                    output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    // MARK: - JSON

    /// The summary as a JSON array of `{"event_type","count","first_seen","last_seen"}` objects (ISO 8601 times).
    public static func summaryJSON(_ rows: [EventSummaryRow]) -> String {
        "[" + rows.map { row in
            "{\"event_type\":" + JSONString.quoted(row.eventType) + ",\"count\":" + String(row.count)
                + ",\"first_seen\":\"" + EventTime.iso8601(row.firstSeen) + "\",\"last_seen\":\""
                + EventTime.iso8601(row.lastSeen) + "\"}"
        }.joined(separator: ",") + "]\n"
    }

    /// The events as JSON lines, the same shape stdout carries.
    public static func eventsJSONLines(_ events: [EventRecord]) -> String {
        events.map { $0.jsonLine + "\n" }.joined()
    }
}
