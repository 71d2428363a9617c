import Foundation
import NightshiftKit

/// The body of `POST /portfolio/orders` for one host order, or the reason the order cannot be sent.
///
/// The order's outcome picks the contract (`side`: yes or no), its side the `action` (buy or sell); the limit price
/// goes to `yes_price` or `no_price` in cents. Only whole-contract limit orders at 1–99 cents are sendable.
struct OrderBody: Encodable, Equatable {
    var ticker: String
    var clientOrderId: String
    var side: String
    var action: String
    var count: Int
    var type: String
    var yesPrice: Int?
    var noPrice: Int?
    var timeInForce: String?

    /// Builds the body, or returns why the order is not sendable.
    static func make(_ order: Order, ticker: String) -> Result<OrderBody, OrderRefusal> {
        guard !ticker.isEmpty else { return .failure(OrderRefusal("the order's symbol has no name")) }
        let side: String
        switch order.outcome {
        case .yes: side = "yes"
        case .no: side = "no"
        case .none: return .failure(OrderRefusal("a kalshi order needs outcome yes or no"))
        }
        guard order.type == .limit, let price = order.limitPrice else {
            return .failure(OrderRefusal("kalshi-broker sends limit orders only; give a limit price"))
        }
        // Range first, so the product below cannot overflow.
        guard price >= Fixed(raw: Fixed.scale / 100), price <= Fixed(raw: Fixed.scale / 100 * 99),
            (price * 100).raw % Fixed.scale == 0
        else {
            return .failure(OrderRefusal("limit price \(price) is not a whole number of cents from 0.01 to 0.99"))
        }
        guard order.quantity.raw % Fixed.scale == 0, order.quantity >= 1, order.quantity <= 1_000_000 else {
            return .failure(OrderRefusal("quantity \(order.quantity) is not a whole number of contracts"))
        }
        let priceCents = Int((price * 100).raw / Fixed.scale)
        return .success(
            OrderBody(
                ticker: ticker, clientOrderId: order.clientOrderID, side: side,
                action: order.side == .buy ? "buy" : "sell", count: Int(order.quantity.raw / Fixed.scale),
                type: "limit", yesPrice: side == "yes" ? priceCents : nil, noPrice: side == "no" ? priceCents : nil,
                timeInForce: timeInForce(order.timeInForce)))
    }

    /// Kalshi's `time_in_force`; a day order is sent without one (it rests until canceled or the market closes).
    private static func timeInForce(_ value: Order.TimeInForce) -> String? {
        switch value {
        case .day: nil
        case .goodTillCanceled: "good_till_canceled"
        case .immediateOrCancel: "immediate_or_cancel"
        case .fillOrKill: "fill_or_kill"
        }
    }

    /// The body as compact JSON with sorted keys.
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Why an order was not sent.
struct OrderRefusal: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
