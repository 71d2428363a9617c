import Foundation
import NightshiftKit

/// One order object from Kalshi (`{"order":{...}}` or an element of `{"orders":[...]}`), read leniently.
///
/// Counts are documented as integers (`fill_count`, `remaining_count`, `initial_count`) and costs in cents; newer
/// responses also carry `*_fp` and `*_dollars` decimal strings, used when the integer field is absent.
struct KalshiOrder: Decodable, Equatable {
    var orderId: String?
    var clientOrderId: String?
    var ticker: String?
    var side: String?
    var status: String?
    var yesPrice: Fixed?
    var noPrice: Fixed?
    var fillCount: Fixed?
    var remainingCount: Fixed?
    var initialCount: Fixed?
    /// Total cost of the fills in dollars (taker plus maker), when reported.
    var fillCost: Fixed?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func string(_ key: String) -> String? { (try? container.decodeIfPresent(String.self, forKey: Key(key))) ?? nil }
        /// An integer field, else its decimal-string twin (`suffix`), scaled by `unit`.
        func amount(_ key: String, twin suffix: String, unit: Int64) -> Fixed? {
            if let whole = (try? container.decodeIfPresent(Int.self, forKey: Key(key))) ?? nil,
                (0...1_000_000_000).contains(whole)
            {
                return Fixed(raw: Int64(whole) * unit)
            }
            guard let text = string(key + suffix), let value = Fixed(text), value >= .zero else { return nil }
            return value
        }
        orderId = string("order_id")
        clientOrderId = string("client_order_id")
        ticker = string("ticker")
        side = string("side")
        status = string("status")
        let cent = Fixed.scale / 100
        yesPrice = amount("yes_price", twin: "_dollars", unit: cent)
        noPrice = amount("no_price", twin: "_dollars", unit: cent)
        fillCount = amount("fill_count", twin: "_fp", unit: Fixed.scale)
        remainingCount = amount("remaining_count", twin: "_fp", unit: Fixed.scale)
        initialCount = amount("initial_count", twin: "_fp", unit: Fixed.scale)
        let taker = amount("taker_fill_cost", twin: "_dollars", unit: cent)
        let maker = amount("maker_fill_cost", twin: "_dollars", unit: cent)
        fillCost = taker == nil && maker == nil ? nil : (taker ?? .zero) + (maker ?? .zero)
    }

    /// What the host should know: `resting` is new or partially filled, `executed` filled, `canceled` canceled (with
    /// whatever filled before); an unrecognized status stays unknown so reconciliation keeps asking.
    ///
    /// The update is always for `clientOrderID`, the order the caller submitted or asked about, never for a
    /// `client_order_id` the reply names: a reply naming another order must not move that other order's state in the
    /// host (found by fuzzing the submit reply).
    func update(symbol: Symbol, clientOrderID: String, at time: Timestamp) -> OrderUpdate {
        let filled = fillCount ?? .zero
        let status: OrderUpdate.Status
        switch self.status {
        case "resting", "pending": status = filled > .zero ? .partiallyFilled : .new
        case "executed": status = .filled
        case "canceled", "cancelled": status = .canceled
        default: status = .unknown
        }
        let remaining = status.isTerminal ? .zero : (remainingCount ?? max(.zero, (initialCount ?? filled) - filled))
        return OrderUpdate(
            symbol: symbol, status: status, filled: filled, remaining: remaining, averagePrice: averagePrice,
            time: time, clientOrderID: clientOrderID, venueOrderID: orderId,
            reason: status == .unknown ? "unrecognized kalshi order status \(self.status ?? "(none)")" : nil)
    }

    /// The average price per contract of the fills: their cost over their count, else the order's own price.
    var averagePrice: Fixed? {
        guard let count = fillCount, count > .zero else { return nil }
        if let cost = fillCost, cost > .zero {
            // In doubles, so no count however small can overflow the quotient.
            let average = cost.doubleValue / count.doubleValue
            if average.isFinite, average > 0, average <= 100 { return Fixed(average) }
        }
        return side == "no" ? noPrice : yesPrice
    }
}

/// `{"order":{...}}`.
struct KalshiOrderEnvelope: Decodable {
    var order: KalshiOrder
}

/// `{"orders":[...],"cursor":".."}`; elements that do not decode are dropped.
struct KalshiOrderList: Decodable {
    var orders: [Lenient]
    var cursor: String?

    struct Lenient: Decodable {
        var order: KalshiOrder?
        init(from decoder: any Decoder) throws {
            order = try? KalshiOrder(from: decoder)
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
        let text = [detail.code, detail.message].compactMap { $0 }.joined(separator: ": ")
        return text.isEmpty ? nil : text
    }
}
