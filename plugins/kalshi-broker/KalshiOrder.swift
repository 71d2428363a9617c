import Foundation
import KalshiWire
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

    init(from decoder: any Decoder) throws {
        let fields = try KalshiFields(decoder)
        let contracts = { (key: String) in fields.amount(key, twin: "_fp", unit: Fixed.scale, upTo: 1_000_000_000) }
        let cents = { (key: String) in fields.amount(key, twin: "_dollars", unit: Fixed.scale / 100, upTo: 1_000_000_000) }
        orderId = fields.string("order_id")
        clientOrderId = fields.string("client_order_id")
        ticker = fields.string("ticker")
        side = fields.string("side")
        status = fields.string("status")
        yesPrice = fields.price("yes_price")
        noPrice = fields.price("no_price")
        fillCount = contracts("fill_count")
        remainingCount = contracts("remaining_count")
        initialCount = contracts("initial_count")
        let taker = cents("taker_fill_cost"), maker = cents("maker_fill_cost")
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
