import Foundation
import Testing
@testable import NightshiftEvents

@Suite struct EventFormattingTests {
    let origin = EventFactory.origin

    @Test func theSummaryTableAlignsColumns() {
        let table = EventFormatting.summaryTable([
            EventSummaryRow(eventType: "attempt_failed", count: 1_234, firstSeen: origin, lastSeen: origin + 61_000_000),
            EventSummaryRow(eventType: "cycle_skipped", count: 7, firstSeen: origin + 3_600_000_000,
                            lastSeen: origin + 3_600_000_000),
        ])
        #expect(table == """
            EVENT TYPE      COUNT  FIRST SEEN (UTC)     LAST SEEN (UTC)
            attempt_failed   1234  2024-05-01 00:00:00  2024-05-01 00:01:01
            cycle_skipped       7  2024-05-01 01:00:00  2024-05-01 01:00:00

            """)
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        let event = EventFactory().make("log", at: 0, message: "red \u{1B}[31malert\u{07}\nnext", fields: ["k": "v"])
        let table = EventFormatting.eventsTable([event])
        #expect(!table.contains("\u{1B}") && !table.contains("\u{07}"))
        #expect(table.contains("red \\u{1B}[31malert\\u{7}\\nnext k=v"))
        #expect(table.split(separator: "\n").count == 2)
    }

    @Test func summaryJSONParses() throws {
        let json = EventFormatting.summaryJSON([
            EventSummaryRow(eventType: "a\"b", count: 2, firstSeen: origin, lastSeen: origin + 1),
        ])
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 1)
        #expect(parsed[0]["event_type"] as? String == "a\"b")
        #expect(parsed[0]["count"] as? Int == 2)
        #expect(parsed[0]["last_seen"] as? String == "2024-05-01T00:00:00.000001Z")
    }

    @Test func eventsJSONLinesReadBack() {
        let events = EventFactory().sequence(3)
        let lines = EventFormatting.eventsJSONLines(events).split(separator: "\n").map(String.init)
        #expect(lines.compactMap(EventRecord.init(jsonLine:)) == events)
    }
}
