import Foundation
import KalshiWire
import NightshiftKit

/// One market object from `GET /markets` or `GET /markets/{ticker}`, read leniently.
///
/// Prices are documented in cents (`yes_bid`, `yes_ask`, `no_bid`, `no_ask`, `last_price`); newer responses also
/// carry `*_dollars` decimal strings, used when the cent field is absent. A field of the wrong type reads as absent
/// rather than failing the whole listing.
struct KalshiMarket: Decodable, Equatable {
    var ticker: String
    var eventTicker: String?
    var status: String?
    var closeTime: String?
    var strikeType: String?
    var floorStrike: Double?
    var capStrike: Double?
    var yesBid: Fixed?
    var yesAsk: Fixed?
    var noBid: Fixed?
    var noAsk: Fixed?
    var lastPrice: Fixed?
    var volume: Int?

    init(from decoder: any Decoder) throws {
        let fields = try KalshiFields(decoder)
        ticker = try fields.required("ticker")
        eventTicker = fields.string("event_ticker")
        status = fields.string("status")
        closeTime = fields.string("close_time")
        strikeType = fields.string("strike_type")
        floorStrike = fields.number("floor_strike")
        capStrike = fields.number("cap_strike")
        yesBid = fields.price("yes_bid")
        yesAsk = fields.price("yes_ask")
        noBid = fields.price("no_bid")
        noAsk = fields.price("no_ask")
        lastPrice = fields.price("last_price")
        volume = fields.integer("volume")
    }

    /// The market event: yes-side bid and ask in dollars, price = last, volume; details in the payload.
    func event(symbol: Symbol, at time: Timestamp) -> MarketEvent {
        let contracts = volume.flatMap { (0..<1_000_000_000).contains($0) ? Fixed($0) : nil } ?? .zero
        return MarketEvent(
            kind: .market, symbol: symbol, time: time, price: lastPrice ?? .zero, bid: yesBid ?? .zero,
            ask: yesAsk ?? .zero, volume: contracts, payload: payload())
    }

    /// The payload: identity, strike and status fields as Kalshi names them, prices in dollars.
    func payload() -> String? {
        let payload = MarketPayload(
            ticker: ticker, eventTicker: eventTicker, status: status, closeTime: closeTime, strikeType: strikeType,
            floorStrike: floorStrike, capStrike: capStrike, yesBid: yesBid, yesAsk: yesAsk, noBid: noBid, noAsk: noAsk,
            lastPrice: lastPrice)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(payload) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A market event's JSON payload; absent fields are left out.
struct MarketPayload: Encodable {
    var ticker: String
    var eventTicker: String?
    var status: String?
    var closeTime: String?
    var strikeType: String?
    var floorStrike: Double?
    var capStrike: Double?
    var yesBid: Fixed?
    var yesAsk: Fixed?
    var noBid: Fixed?
    var noAsk: Fixed?
    var lastPrice: Fixed?
}

/// The listing and single-market envelopes: `{"markets":[...],"cursor":".."}` and `{"market":{...}}`.
struct KalshiMarketsEnvelope: Decodable {
    var markets: [Lenient]?
    var market: KalshiMarket?
    var cursor: String?

    /// A list element that may fail to decode on its own without failing its neighbours.
    struct Lenient: Decodable {
        var market: KalshiMarket?
        init(from decoder: any Decoder) throws {
            market = try? KalshiMarket(from: decoder)
        }
    }
}
