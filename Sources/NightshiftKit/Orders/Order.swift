/// An order a strategy submits and a broker executes.
///
/// Strategies leave ``clientOrderID`` empty: the host assigns a deterministic one (unique per run, strategy and
/// sequence) before routing, and brokers always see it set.
public struct Order: Sendable, Hashable {
    /// Buy or sell.
    public enum Side: Int32, Sendable, Hashable, CustomStringConvertible {
        case buy = 1
        case sell = 2

        public var description: String { self == .buy ? "buy" : "sell" }
    }

    /// Market or limit.
    public enum OrderType: Int32, Sendable, Hashable, CustomStringConvertible {
        case market = 1
        case limit = 2

        public var description: String { self == .market ? "market" : "limit" }
    }

    /// How long the order may rest.
    public enum TimeInForce: Int32, Sendable, Hashable, CustomStringConvertible {
        case day = 1
        case goodTillCanceled = 2
        case immediateOrCancel = 3
        case fillOrKill = 4

        public var description: String {
            switch self {
            case .day: "day"
            case .goodTillCanceled: "gtc"
            case .immediateOrCancel: "ioc"
            case .fillOrKill: "fok"
            }
        }
    }

    /// For binary (prediction) markets: which contract the order trades.
    public enum Outcome: Int32, Sendable, Hashable, CustomStringConvertible {
        case none = 0
        case yes = 1
        case no = 2

        public var description: String {
            switch self {
            case .none: "none"
            case .yes: "yes"
            case .no: "no"
            }
        }
    }

    public var symbol: Symbol
    public var side: Side
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var outcome: Outcome
    /// The quantity, always positive.
    public var quantity: Fixed
    /// The limit price; `nil` for market orders.
    public var limitPrice: Fixed?
    /// The decision time (the host fills in its clock when `nil`).
    public var time: Timestamp?
    /// Assigned by the host before routing; empty when a strategy creates the order.
    public var clientOrderID: String
    /// The strategy's short explanation, logged with the order.
    public var reason: String

    /// Creates an order.
    public init(
        symbol: Symbol, side: Side, type: OrderType = .market, timeInForce: TimeInForce = .day,
        outcome: Outcome = .none, quantity: Fixed, limitPrice: Fixed? = nil, time: Timestamp? = nil,
        clientOrderID: String = "", reason: String = ""
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.outcome = outcome
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.time = time
        self.clientOrderID = clientOrderID
        self.reason = reason
    }

    /// A market order.
    public static func market(
        _ side: Side, _ quantity: Fixed, of symbol: Symbol, reason: String = "", at time: Timestamp? = nil
    ) -> Order {
        Order(symbol: symbol, side: side, quantity: quantity, time: time, reason: reason)
    }

    /// A limit order.
    public static func limit(
        _ side: Side, _ quantity: Fixed, of symbol: Symbol, at price: Fixed,
        timeInForce: TimeInForce = .day, reason: String = "", time: Timestamp? = nil
    ) -> Order {
        Order(
            symbol: symbol, side: side, type: .limit, timeInForce: timeInForce, quantity: quantity,
            limitPrice: price, time: time, reason: reason)
    }
}
