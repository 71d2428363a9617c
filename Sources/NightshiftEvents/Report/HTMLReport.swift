/// `nightshift report`: one self-contained HTML file telling what happened over a period.
///
/// The page has a timeline (inline SVG: one lane per event type, events counted into time bins, failures red,
/// recoveries green), the summary table, and the latest failures. No scripts, no external assets, inline CSS only;
/// every piece of event text is escaped, and the output is well-formed XML, so any XML parser can check it.
public struct HTMLReport: Sendable {
    /// Options for the report.
    public struct Configuration: Sendable {
        /// The page heading and title.
        public var title: String
        /// Event types drawn red (in addition to names ending in `_failed`, `_exhausted`, …).
        public var failureTypes: Set<String>
        /// Event types drawn green (in addition to names ending in `_recovered`, `_succeeded`, …).
        public var recoveryTypes: Set<String>
        /// Time bins across the period.
        public var bins: Int
        /// Rows in the "latest failures" table.
        public var failureListLimit: Int

        /// Creates a configuration.
        public init(
            title: String = "Nightshift report",
            failureTypes: Set<String> = EventCategory.defaultFailureTypes,
            recoveryTypes: Set<String> = EventCategory.defaultRecoveryTypes,
            bins: Int = 96,
            failureListLimit: Int = 50
        ) {
            self.title = title
            self.failureTypes = failureTypes
            self.recoveryTypes = recoveryTypes
            self.bins = max(1, bins)
            self.failureListLimit = failureListLimit
        }
    }

    /// The options this report renders with.
    public let configuration: Configuration

    /// Creates a report renderer.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Queries `store` for `[since, until)` and renders the report.
    ///
    /// - Parameter eventLimit: the most events drawn on the timeline (the summary counts all of them).
    public static func generate(
        from store: any EventStore, since: Int64, until: Int64,
        configuration: Configuration = Configuration(), eventLimit: Int = 200_000
    ) throws -> String {
        let events = try store.query(EventFilter(since: since, until: until, limit: eventLimit))
        let summary = try store.summary(since: since, until: until)
        return HTMLReport(configuration: configuration).render(events: events, summary: summary, from: since, to: until)
    }

    /// The category (lane colour) of an event type under this configuration.
    public func category(of eventType: String) -> EventCategory {
        EventCategory.of(eventType, failureTypes: configuration.failureTypes, recoveryTypes: configuration.recoveryTypes)
    }

    /// Renders the page for the period `[from, to)` (microseconds since the epoch).
    public func render(events: [EventRecord], summary: [EventSummaryRow], from: Int64, to: Int64) -> String {
        let inPeriod = events.filter { $0.createdAt >= from && $0.createdAt < to }
        let failures = inPeriod.filter { category(of: $0.eventType) == .failure || $0.level >= .error }
        let recoveries = inPeriod.filter { category(of: $0.eventType) == .recovery }
        let title = HTMLText.escape(configuration.title)
        var html = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(title)</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <h1>\(title)</h1>
            <p class="period">\(EventTime.iso8601(from)) to \(EventTime.iso8601(to)) (UTC):
             \(inPeriod.count) events, <span class="failure">\(failures.count) failures</span>,
             <span class="recovery">\(recoveries.count) recoveries</span></p>
            <h2>Timeline</h2>

            """
        html += timelineSVG(events: inPeriod, from: from, to: to) + "\n"
        html += "<h2>Summary</h2>\n" + summaryTable(summary) + "\n"
        html += "<h2>Latest failures</h2>\n" + failureTable(failures) + "\n"
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: - Tables

    private func summaryTable(_ rows: [EventSummaryRow]) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">No events in this period.</p>" }
        var html = "<table class=\"summary\">\n<thead><tr><th>Event type</th><th class=\"number\">Count</th>"
            + "<th>First seen (UTC)</th><th>Last seen (UTC)</th></tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr class=\"\(category(of: row.eventType).rawValue)\"><td>\(HTMLText.escape(row.eventType))</td>"
                + "<td class=\"number\">\(row.count)</td><td>\(EventTime.short(row.firstSeen))</td>"
                + "<td>\(EventTime.short(row.lastSeen))</td></tr>\n"
        }
        return html + "</tbody>\n</table>"
    }

    private func failureTable(_ failures: [EventRecord]) -> String {
        guard !failures.isEmpty else { return "<p class=\"empty\">No failures in this period.</p>" }
        let latest = failures.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            .prefix(configuration.failureListLimit)
        var html = "<table class=\"failures\">\n<thead><tr><th>Time (UTC)</th><th>Level</th><th>Type</th>"
            + "<th>Instance</th><th>Message</th></tr></thead>\n<tbody>\n"
        for event in latest {
            let fields = event.fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            html += "<tr><td>\(EventTime.short(event.createdAt))</td><td>\(event.level.rawValue)</td>"
                + "<td>\(HTMLText.escape(event.eventType))</td><td>\(HTMLText.escape(event.instance))</td>"
                + "<td>\(HTMLText.escape(event.message))<span class=\"fields\"> \(HTMLText.escape(fields))</span></td></tr>\n"
        }
        return html + "</tbody>\n</table>"
    }

    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;background:#fff}\
        h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\
        table{border-collapse:collapse;margin-top:.5em}th,td{padding:.25em .7em;border-bottom:1px solid #ddd;\
        text-align:left;vertical-align:top}.number{text-align:right}\
        .failure{color:#b3261e}.recovery{color:#1e7b34}.fields{color:#666;font-size:.9em}\
        .timeline text{font:12px system-ui,sans-serif;fill:#333}.timeline .axis{stroke:#999}\
        .timeline .grid{stroke:#eee}.lane.failure rect{fill:#d93025}.lane.recovery rect{fill:#1e8e3e}\
        .lane.neutral rect{fill:#5f6368}.empty{color:#666}
        """
}
