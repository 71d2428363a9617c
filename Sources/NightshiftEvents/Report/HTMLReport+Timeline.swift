/// The SVG timeline: one lane per event type, each lane a row of time bins shaded by how many events fell in them.
///
/// Each lane is a `<g class="lane failure|recovery|neutral" data-event-type=… data-count=…>`; each non-empty bin a
/// `<rect data-count=…>` with a `<title>` tooltip. Lanes run failures first, then recoveries, then the rest.
extension HTMLReport {
    static let labelWidth = 220
    static let plotWidth = 760
    static let laneHeight = 22
    static let axisHeight = 28

    func timelineSVG(events: [EventRecord], from: Int64, to: Int64) -> String {
        let span = max(1, to - from)
        let bins = configuration.bins
        var lanes: [String: [Int]] = [:]
        for event in events {
            let bin = min(bins - 1, max(0, Int((event.createdAt - from) * Int64(bins) / span)))
            lanes[event.eventType, default: [Int](repeating: 0, count: bins)][bin] += 1
        }
        let order: [EventCategory] = [.failure, .recovery, .neutral]
        let types = lanes.keys.sorted {
            let (left, right) = (order.firstIndex(of: category(of: $0))!, order.firstIndex(of: category(of: $1))!)
            return left != right ? left < right : $0 < $1
        }
        let width = Self.labelWidth + Self.plotWidth + 10
        let height = Self.axisHeight + max(1, types.count) * Self.laneHeight + 4
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Events by type over time\">\n"
        svg += axis(from: from, span: span, height: height)
        for (laneIndex, type) in types.enumerated() {
            svg += lane(type, counts: lanes[type]!, index: laneIndex, from: from, span: span)
        }
        if types.isEmpty {
            svg += "<text x=\"\(Self.labelWidth)\" y=\"\(Self.axisHeight + 15)\">No events in this period.</text>\n"
        }
        return svg + "</svg>"
    }

    private func axis(from: Int64, span: Int64, height: Int) -> String {
        var svg = "<g class=\"axis-labels\">\n"
        let ticks = 6
        for tick in 0...ticks {
            let x = Self.labelWidth + Self.plotWidth * tick / ticks
            let time = from + span * Int64(tick) / Int64(ticks)
            let anchor = tick == 0 ? "start" : (tick == ticks ? "end" : "middle")
            svg += "<line class=\"grid\" x1=\"\(x)\" y1=\"\(Self.axisHeight - 6)\" x2=\"\(x)\" y2=\"\(height)\"/>"
                + "<text x=\"\(x)\" y=\"14\" text-anchor=\"\(anchor)\">\(EventTime.short(time).suffix(14))</text>\n"
        }
        return svg + "</g>\n"
    }

    private func lane(_ type: String, counts: [Int], index: Int, from: Int64, span: Int64) -> String {
        let bins = counts.count
        let top = Self.axisHeight + index * Self.laneHeight
        let total = counts.reduce(0, +)
        let peak = max(1, counts.max() ?? 1)
        let name = HTMLText.escape(type)
        var svg = "<g class=\"lane \(category(of: type).rawValue)\" data-event-type=\"\(name)\" data-count=\"\(total)\">\n"
        svg += "<text x=\"0\" y=\"\(top + 15)\">\(name) (\(total))</text>"
        svg += "<line class=\"axis\" x1=\"\(Self.labelWidth)\" y1=\"\(top + Self.laneHeight - 2)\" "
            + "x2=\"\(Self.labelWidth + Self.plotWidth)\" y2=\"\(top + Self.laneHeight - 2)\"/>\n"
        for (bin, count) in counts.enumerated() where count > 0 {
            let x = Self.labelWidth + Self.plotWidth * bin / bins
            let binWidth = max(2, Self.plotWidth * (bin + 1) / bins - Self.plotWidth * bin / bins - 1)
            // Opacity grows with the count, so a burst stands out from a single event.
            let opacity = 0.35 + 0.65 * Double(count) / Double(peak)
            let start = from + span * Int64(bin) / Int64(bins)
            let end = from + span * Int64(bin + 1) / Int64(bins)
            svg += "<rect x=\"\(x)\" y=\"\(top + 3)\" width=\"\(binWidth)\" height=\"\(Self.laneHeight - 7)\" "
                + "fill-opacity=\"\(String(format3: opacity))\" data-count=\"\(count)\"><title>\(name): \(count) "
                + "event\(count == 1 ? "" : "s"), \(EventTime.short(start)) to \(EventTime.short(end)) UTC</title></rect>\n"
        }
        return svg + "</g>\n"
    }
}

private extension String {
    /// A number in [0, 1] with three decimals, without Foundation's formatter.
    init(format3 value: Double) {
        let thousandths = Int((value * 1_000).rounded())
        self = "\(thousandths / 1_000).\(EventTime.pad(Int64(thousandths % 1_000), 3))"
    }
}
