import Foundation
import NightshiftKit

/// Builds the ensemble API's request for one location, and the run hint forecasts carry.
enum EnsembleRequest {
    /// `GET <base_url>/v1/ensemble?latitude=..&longitude=..&hourly=..&models=..&forecast_days=..&temperature_unit=..
    /// &timezone=..`, the parameters the API documents.
    static func request(for location: OpenMeteoConfig.Location, config: OpenMeteoConfig) -> HTTPRequest {
        var base = config.baseUrl
        while base.hasSuffix("/") { base.removeLast() }
        let parameters: [(String, String)] = [
            ("latitude", number(location.latitude)),
            ("longitude", number(location.longitude)),
            ("hourly", config.variables.joined(separator: ",")),
            ("models", config.models),
            ("forecast_days", String(config.forecastDays)),
            ("temperature_unit", config.temperatureUnit),
            ("timezone", location.timezone ?? "auto"),
        ]
        let query = parameters.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&")
        return HTTPRequest(
            url: "\(base)/v1/ensemble?\(query)", headers: [HTTPHeader("Accept", "application/json")],
            timeout: .milliseconds(Int64(config.timeoutSeconds * 1000)), label: "ensemble \(location.name)")
    }

    /// The nominal model run (00, 06, 12 or 18 UTC) most recently available `lagHours` after its start, as
    /// `2025-01-01T06Z`.
    ///
    /// The API does not name the run it served, so this is the run a cycle at `time` should see.
    static func runHint(at time: Timestamp, lagHours: Int) -> String {
        let sixHours: Int64 = 6 * 3600 * 1_000_000_000
        let shifted = time.nanosecondsSinceEpoch - Int64(lagHours) * 3600 * 1_000_000_000
        let (quotient, remainder) = shifted.quotientAndRemainder(dividingBy: sixHours)
        let run = Timestamp(nanosecondsSinceEpoch: (remainder < 0 ? quotient - 1 : quotient) * sixHours)
        return String(run.description.prefix(13)) + "Z"
    }

    /// A coordinate as plain decimal text (no exponent).
    private static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Percent-encodes a query value (commas kept: the API takes comma-separated lists).
    private static func escape(_ value: String) -> String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
