import Foundation

/// The JSON payload of one forecast event: a location's daily highs for one local day, one per ensemble member.
///
/// `{"location","date","variable","unit","members":[...],"model","run_hint"}` with keys sorted, so the same forecast
/// always serializes to the same text (replays compare equal).
struct ForecastPayload: Codable, Equatable {
    var location: String
    /// The local day, `YYYY-MM-DD`.
    var date: String
    var variable: String
    /// As the API reports it, e.g. `°F`.
    var unit: String
    /// Daily maxima: the control run first, then members 1…N.
    var members: [Double]
    var model: String
    /// The nominal run the cycle expected to see, e.g. `2025-01-01T06Z`.
    var runHint: String

    enum CodingKeys: String, CodingKey {
        case location, date, variable, unit, members, model
        case runHint = "run_hint"
    }

    /// The payload as compact JSON text.
    func json() -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
