import Foundation
import NightshiftKit

/// A forecast event as the strategy keeps it: one location's daily highs per member for one local day.
struct Forecast: Equatable {
    var location: String
    var date: String
    var variable: String
    var unit: String
    var members: [Double]
    var model: String
    var runHint: String
    /// When the cycle that fetched it ran.
    var time: Timestamp

    private struct Payload: Decodable {
        var location: String
        var date: String
        var variable: String
        var unit: String?
        var members: [Double]
        var model: String?
        var runHint: String?
    }

    /// Reads a forecast event's payload; `nil` when it is not one.
    init?(_ event: MarketEvent) {
        guard event.kind == .forecast, let payload = event.payload else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let parsed = try? decoder.decode(Payload.self, from: Data(payload.utf8)) else { return nil }
        location = parsed.location
        date = parsed.date
        variable = parsed.variable
        unit = parsed.unit ?? ""
        members = parsed.members.filter(\.isFinite)
        model = parsed.model ?? ""
        runHint = parsed.runHint ?? ""
        time = event.time
    }
}

/// A market event as the strategy keeps it: yes-side quotes from the event, the rest from its payload.
struct MarketView: Equatable {
    var symbol: Symbol
    var ticker: String
    var status: String
    var closeTime: Timestamp?
    var strike: StrikeRule?
    var yesBid: Fixed
    var yesAsk: Fixed
    var noAsk: Fixed
    var time: Timestamp

    private struct Payload: Decodable {
        var ticker: String
        var status: String?
        var closeTime: String?
        var strikeType: String?
        var floorStrike: Double?
        var capStrike: Double?
        var noAsk: Fixed?
    }

    /// Reads a market event; `nil` when it is not one.
    init?(_ event: MarketEvent) {
        guard event.kind == .market, let payload = event.payload else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let parsed = try? decoder.decode(Payload.self, from: Data(payload.utf8)) else { return nil }
        symbol = event.symbol
        ticker = parsed.ticker
        status = parsed.status ?? ""
        closeTime = parsed.closeTime.flatMap(Self.parseTime)
        strike = StrikeRule(type: parsed.strikeType, floor: parsed.floorStrike, cap: parsed.capStrike)
        yesBid = event.bid
        yesAsk = event.ask
        // Buying no at p is selling yes at 1 − p: without a quoted no ask, the yes bid implies one.
        noAsk = parsed.noAsk ?? (event.bid > .zero ? 1 - event.bid : .zero)
        time = event.time
    }

    /// Whether the market takes orders: Kalshi calls an open market `active` (listing filters call it `open`).
    func isOpen(at now: Timestamp) -> Bool {
        guard status == "active" || status == "open" else { return false }
        if let closeTime, closeTime <= now { return false }
        return true
    }

    private static func parseTime(_ text: String) -> Timestamp? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Timestamp(date) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Timestamp($0) }
    }
}
