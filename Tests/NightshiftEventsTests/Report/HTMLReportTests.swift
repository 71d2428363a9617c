import Foundation
import FoundationXML
import Testing
@testable import NightshiftEvents

@Suite struct HTMLReportTests {
    /// A night of events in a store, a few outside the reported period.
    static func night() throws -> (SQLiteEventStore, TemporaryDirectory, from: Int64, to: Int64) {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("events.db"))
        try store.migrate()
        let factory = EventFactory()
        var events: [EventRecord] = []
        events.append(factory.make("attempt_failed", at: -60, level: .warning)) // before the period
        for minute in 0..<8 {
            events.append(factory.make("attempt_failed", at: Int64(minute * 600), level: .warning, source: "open-meteo",
                                       message: "HTTP 503 <script>alert(\"x\")</script> & co"))
        }
        events.append(factory.make("retry_exhausted", at: 5_000, level: .error, source: "open-meteo"))
        events.append(factory.make("stream_disconnected", at: 6_000, level: .warning, source: "alpaca"))
        events.append(factory.make("stream_connected", at: 6_030, source: "alpaca"))
        events.append(factory.make("stream_connected", at: 100, source: "alpaca"))
        events.append(factory.make("trade_executed", at: 7_000, level: .notice, source: "paper-broker",
                                   fields: ["symbol": "A&B<C>"]))
        events.append(factory.make("cycle_skipped", at: 28_799, level: .warning, source: "kalshi"))
        events.append(factory.make("trade_executed", at: 28_800, source: "paper-broker")) // at the (exclusive) end
        try store.insert(events)
        let origin = EventFactory.origin
        return (store, directory, origin, origin + 28_800 * EventTime.microsPerSecond)
    }

    @Test func theReportIsWellFormedAndItsTimelineHoldsThePeriodsEvents() throws {
        let (store, directory, from, to) = try Self.night()
        let html = try HTMLReport.generate(from: store, since: from, until: to)
        let document = try XMLDocument(xmlString: html, options: [])
        let root = try #require(document.rootElement())
        #expect(root.localName == "html")

        let svg = try #require(Self.elements(root, named: "svg").first)
        let lanes = Self.elements(svg, named: "g").filter { (Self.attribute($0, "class") ?? "").hasPrefix("lane") }
        var counts: [String: Int] = [:]
        var categories: [String: String] = [:]
        for lane in lanes {
            let type = try #require(Self.attribute(lane, "data-event-type"))
            let total = Int(Self.attribute(lane, "data-count") ?? "") ?? -1
            let binTotal = Self.elements(lane, named: "rect")
                .compactMap { Int(Self.attribute($0, "data-count") ?? "") }.reduce(0, +)
            #expect(binTotal == total, "bins of \(type) add up to its lane")
            counts[type] = total
            categories[type] = Self.attribute(lane, "class")
        }
        #expect(counts == ["attempt_failed": 8, "retry_exhausted": 1, "stream_disconnected": 1, "stream_connected": 2,
                           "trade_executed": 1, "cycle_skipped": 1])
        #expect(categories["attempt_failed"] == "lane failure")
        #expect(categories["cycle_skipped"] == "lane failure")
        #expect(categories["stream_disconnected"] == "lane failure")
        #expect(categories["stream_connected"] == "lane recovery")
        #expect(categories["trade_executed"] == "lane neutral")
        #expect(lanes.first.flatMap { Self.attribute($0, "data-event-type") } == "attempt_failed")

        let summaryCells = Self.elements(root, named: "td").map { $0.stringValue ?? "" }
        #expect(summaryCells.contains("attempt_failed"))
        #expect(summaryCells.contains { $0.contains("HTTP 503 <script>alert(\"x\")</script> & co") })
        _ = directory
    }

    @Test func eventTextIsEscapedAndNothingIsFetchedFromOutside() throws {
        let (store, directory, from, to) = try Self.night()
        let html = try HTMLReport.generate(from: store, since: from, until: to, configuration: .init(title: "Bot <1> & \"co\""))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"))
        #expect(html.contains("<title>Bot &lt;1&gt; &amp; &quot;co&quot;</title>"))
        for external in ["src=", "href=", "@import", "url("] { #expect(!html.contains(external)) }
        let urls = html.components(separatedBy: "http").count - 1
        #expect(urls == 2) // the XHTML and SVG namespace names, never fetched
        _ = directory
    }

    @Test func anEmptyPeriodStillRenders() throws {
        let html = HTMLReport().render(events: [], summary: [], from: 0, to: 3_600_000_000)
        let document = try XMLDocument(xmlString: html, options: [])
        #expect(document.rootElement() != nil)
        #expect(html.contains("No events in this period."))
    }

    @Test func categoriesFollowNamesAndConfiguration() {
        #expect(EventCategory.of("stream_disconnected") == .failure)
        #expect(EventCategory.of("stream_reconnected") == .recovery)
        #expect(EventCategory.of("order_timed_out") == .failure)
        #expect(EventCategory.of("heartbeat") == .neutral)
        #expect(EventCategory.of("heartbeat", failureTypes: ["heartbeat"]) == .failure)
    }

    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
    }

    static func elements(_ node: XMLNode, named name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for child in node.children ?? [] {
            if let element = child as? XMLElement {
                if element.localName == name { found.append(element) }
                found += elements(element, named: name)
            }
        }
        return found
    }
}
