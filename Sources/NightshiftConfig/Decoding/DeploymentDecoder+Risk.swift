import Foundation

/// Decoding of the `risk:` section.
extension DeploymentDecoder {
    mutating func decodeRisk(_ node: YAMLNode, into risk: inout RiskSettings) {
        let allowed = [
            "max_order_qty", "max_notional", "max_position", "max_orders_per_minute", "trading_hours",
            "kill_switch_file",
        ]
        guard let reader = MappingReader(node, path: "risk", allowed: allowed, diagnostics: &diagnostics) else {
            return
        }
        risk.maxOrderQuantity = reader.decimal("max_order_qty", &diagnostics)
        risk.maxNotional = reader.decimal("max_notional", &diagnostics)
        risk.maxPosition = reader.decimal("max_position", &diagnostics)
        risk.maxOrdersPerMinute = reader.integer("max_orders_per_minute", in: 0...1_000_000, &diagnostics)
        if let file = reader.string("kill_switch_file", &diagnostics) {
            risk.killSwitchFile = PathResolver.resolve(file, against: directory)
        }
        if let node = reader.value("trading_hours") { risk.tradingHours = decodeTradingHours(node) }
    }

    private mutating func decodeTradingHours(_ node: YAMLNode) -> TradingHours? {
        let path = "risk.trading_hours"
        guard
            let reader = MappingReader(
                node, path: path, allowed: ["start", "end", "timezone"], diagnostics: &diagnostics)
        else { return nil }
        let start = timeOfDay(reader, "start")
        let end = timeOfDay(reader, "end")
        var timezone: String?
        if let zoneNode = reader.required("timezone", &diagnostics), let zone = reader.string("timezone", &diagnostics)
        {
            if TimeZone(identifier: zone) != nil {
                timezone = zone
            } else {
                // A suggestion would hint at a secret value, so none is offered for one.
                let hidden = zoneNode.scalar?.isSensitive ?? false
                let guess =
                    (hidden ? nil : Suggestion.closest(to: zone, in: TimeZone.knownTimeZoneIdentifiers))
                    .map { " (did you mean '\($0)'?)" } ?? ""
                diagnostics.report(
                    .invalidValue, "\(path).timezone: unknown time zone \(MappingReader.quote(zoneNode))\(guess)",
                    at: zoneNode.mark)
            }
        }
        guard let start, let end, let timezone else { return nil }
        guard start != end else {
            diagnostics.report(.invalidValue, "\(path): start and end must differ", at: node.mark)
            return nil
        }
        return TradingHours(start: start, end: end, timezone: timezone)
    }

    private mutating func timeOfDay(_ reader: MappingReader, _ key: String) -> TimeOfDay? {
        guard let node = reader.required(key, &diagnostics), let text = reader.string(key, &diagnostics) else {
            return nil
        }
        guard let time = TimeOfDay(text) else {
            diagnostics.report(
                .invalidValue, "\(reader.path(of: key)): expected a time HH:MM, got \(MappingReader.quote(node))",
                at: node.mark)
            return nil
        }
        return time
    }
}
