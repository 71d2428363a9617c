import Foundation
import NightshiftKit

/// The fields of Alpaca's order object this broker reads, and their translation into an ``OrderUpdate``.
///
/// Quantities and prices arrive as decimal strings (`"filled_qty": "3"`, `"filled_avg_price": "187.23"` or `null`);
/// numbers are accepted too.
struct AlpacaOrder: Decodable, Equatable {
    var id: String?
    var clientOrderId: String?
    var symbol: String?
    var status: String
    var qty: Fixed?
    var filledQty: Fixed?
    var filledAvgPrice: Fixed?

    /// Parses an order object; `nil` when the body is not one.
    static func parse(_ body: [UInt8]) -> AlpacaOrder? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(AlpacaOrder.self, from: Data(body))
    }

    /// The state in the SDK's terms.
    ///
    /// Alpaca's intermediate states (accepted, pending_new, pending_cancel, done_for_day, …) are still open; expired
    /// and replaced orders get no more fills under this id, so they count as canceled. An open order with fills is
    /// partially filled whatever the venue calls it.
    var mappedStatus: OrderUpdate.Status {
        let filled = (filledQty ?? .zero) > .zero
        switch status {
        case "filled": return .filled
        case "partially_filled": return .partiallyFilled
        case "canceled", "expired", "replaced": return .canceled
        case "rejected": return .rejected
        default: return filled ? .partiallyFilled : .new
        }
    }

    /// The update this order object reports, attributed to `symbol` and `clientOrderID` when the object omits them.
    func update(symbol: Symbol, clientOrderID: String, at time: Timestamp) -> OrderUpdate {
        let status = mappedStatus
        let filled = filledQty ?? .zero
        let remaining = status.isTerminal ? Fixed.zero : max((qty ?? filled) - filled, .zero)
        return OrderUpdate(
            symbol: symbol, status: status, filled: filled, remaining: remaining,
            averagePrice: filled > .zero ? filledAvgPrice : nil, time: time,
            clientOrderID: clientOrderID, venueOrderID: id,
            reason: status == .rejected || status == .canceled ? "alpaca status \(self.status)" : nil)
    }
}

/// Alpaca's error body, `{"code":40010001,"message":"…"}`.
struct AlpacaError: Decodable {
    var code: Int?
    var message: String?

    /// The longest message kept, in characters.
    static let maxMessage = 200

    /// The message of an error body, clipped, or the body's start when it is not JSON.
    static func message(_ body: [UInt8]) -> String {
        let parsed = try? JSONDecoder().decode(AlpacaError.self, from: Data(body))
        let text = parsed?.message ?? String(decoding: body.prefix(maxMessage), as: UTF8.self)
        return String(text.prefix(maxMessage))
    }

    /// Whether the body says the client order id was used before: the order exists from an earlier attempt.
    static func isDuplicateClientOrderID(_ body: [UInt8]) -> Bool {
        let text = message(body).lowercased()
        return text.contains("client_order_id") && (text.contains("unique") || text.contains("duplicate"))
    }
}
