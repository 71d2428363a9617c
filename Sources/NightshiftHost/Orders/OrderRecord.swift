import NightshiftABI

/// The host's view of one order, from submission until it is filled, canceled or rejected.
struct OrderRecord: Sendable {
    enum State: String, Sendable {
        case submitted, new, partiallyFilled = "partially_filled", filled, canceled, rejected, unknown

        init(_ status: Int32) {
            switch status {
            case Int32(NS_ORDER_STATUS_NEW): self = .new
            case Int32(NS_ORDER_STATUS_PARTIALLY_FILLED): self = .partiallyFilled
            case Int32(NS_ORDER_STATUS_FILLED): self = .filled
            case Int32(NS_ORDER_STATUS_CANCELED): self = .canceled
            case Int32(NS_ORDER_STATUS_REJECTED): self = .rejected
            default: self = .unknown
            }
        }

        var isTerminal: Bool { self == .filled || self == .canceled || self == .rejected }
    }

    let clientOrderID: String
    let strategy: String
    let broker: String
    let symbol: String
    let order: OrderTerms
    var state: State = .submitted
    /// Cumulative filled quantity (fixed point), as last reported by the broker.
    var filled: Int64 = 0
    var venueOrderID = ""
    /// Reconciliation pacing: a query is in flight, or the next one is due at `nextQueryAt` (uptime ns).
    var queryInFlight = false
    var nextQueryAt: UInt64 = 0
    var queryInterval: Duration = .seconds(1)

    /// +1 for a buy, -1 for a sell.
    var direction: Int64 { order.side == Int32(NS_SIDE_SELL) ? -1 : 1 }
    var sideName: String { order.side == Int32(NS_SIDE_SELL) ? "sell" : "buy" }
    /// What the order's fills move: the symbol, and for binary markets the contract (yes and no are separate).
    var positionKey: String { OrderTerms.positionKey(symbol, outcome: order.outcome) }
    /// Quantity still open (fixed point).
    var remaining: Int64 { max(order.qty - filled, 0) }
}

/// An order's terms copied out of plugin memory (no borrowed strings), so it can cross threads.
struct OrderTerms: Sendable {
    var symbol: UInt32
    var side: Int32
    var type: Int32
    var tif: Int32
    var outcome: Int32
    var qty: Int64
    var limitPrice: Int64
    var timestamp: Int64

    init(_ order: ns_order) {
        symbol = order.symbol
        side = order.side
        type = order.type
        tif = order.tif
        outcome = order.outcome
        qty = order.qty
        limitPrice = order.limit_price
        timestamp = order.ts_ns
    }

    /// The position a fill of these terms moves: the symbol, or `symbol:yes` / `symbol:no` for binary contracts.
    static func positionKey(_ symbol: String, outcome: Int32) -> String {
        switch outcome {
        case Int32(NS_OUTCOME_YES): "\(symbol):yes"
        case Int32(NS_OUTCOME_NO): "\(symbol):no"
        default: symbol
        }
    }

    /// The terms as an `ns_order` with no strings set.
    var abi: ns_order {
        var order = ns_order()
        order.symbol = symbol
        order.side = side
        order.type = type
        order.tif = tif
        order.outcome = outcome
        order.qty = qty
        order.limit_price = limitPrice
        order.ts_ns = timestamp
        return order
    }
}

/// A broker's update, copied out of plugin memory.
struct OrderUpdate: Sendable {
    var state: OrderRecord.State
    var filled: Int64
    var remaining: Int64
    var averagePrice: Int64
    var clientOrderID: String
    var venueOrderID: String
    var reason: String

    init(_ update: ns_order_update) {
        state = .init(update.status)
        filled = update.filled_qty
        remaining = update.remaining_qty
        averagePrice = update.avg_price
        clientOrderID = update.client_order_id.string
        venueOrderID = update.venue_order_id.string
        reason = update.reason.string
    }

    init(unknown reason: String, clientOrderID: String) {
        state = .unknown
        filled = 0
        remaining = 0
        averagePrice = 0
        self.clientOrderID = clientOrderID
        venueOrderID = ""
        self.reason = reason
    }
}

/// Fixed-point ABI values as Doubles for limits and event fields.
extension Int64 {
    var fixedDouble: Double { Double(self) / Double(NS_FIXED_SCALE) }
}
