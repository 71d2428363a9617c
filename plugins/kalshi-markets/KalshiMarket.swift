import Foundation
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

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        ticker = try container.decode(String.self, forKey: Key("ticker"))
        func string(_ key: String) -> String? { try? container.decodeIfPresent(String.self, forKey: Key(key)) }
        func number(_ key: String) -> Double? {
            (try? container.decodeIfPresent(Double.self, forKey: Key(key))).flatMap { $0?.isFinite == true ? $0 : nil }
        }
        func price(_ key: String) -> Fixed? {
            if let cents = (try? container.decodeIfPresent(Int.self, forKey: Key(key))) ?? nil {
                return (0...100).contains(cents) ? Fixed(raw: Int64(cents) * (Fixed.scale / 100)) : nil
            }
            guard let text = string(key + "_dollars"), let dollars = Fixed(text), dollars >= .zero, dollars <= 1 else {
                return nil
            }
            return dollars
        }
        eventTicker = string("event_ticker")
        status = string("status")
        closeTime = string("close_time")
        strikeType = string("strike_type")
        floorStrike = number("floor_strike")
        capStrike = number("cap_strike")
        yesBid = price("yes_bid")
        yesAsk = price("yes_ask")
        noBid = price("no_bid")
        noAsk = price("no_ask")
        lastPrice = price("last_price")
        volume = (try? container.decodeIfPresent(Int.self, forKey: Key("volume"))) ?? nil
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

/// Kalshi's error body, `{"error":{"code":"..","message":"..","details":".."}}`.
struct KalshiErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?
    }

    var error: Detail?

    /// `code: message` from a body, or `nil` when it is not an error body.
    static func reason(in body: [UInt8]) -> String? {
        guard let detail = (try? JSONDecoder().decode(Self.self, from: Data(body)))?.error else { return nil }
        return [detail.code, detail.message].compactMap { $0 }.joined(separator: ": ")
    }
}
