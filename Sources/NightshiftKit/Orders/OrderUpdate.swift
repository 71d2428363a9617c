/// What a broker knows about one order. Quantities are cumulative.
public struct OrderUpdate: Sendable, Hashable {
    /// Order states, mirroring `NS_ORDER_STATUS_*`.
    public enum Status: Int32, Sendable, Hashable, CustomStringConvertible {
        case new = 1
        case partiallyFilled = 2
        case filled = 3
        case canceled = 4
        case rejected = 5
        /// The outcome is unknown (timeout, disconnect): the order is in flight until reconciled by a query.
        case unknown = 6

        public var description: String {
            switch self {
            case .new: "new"
            case .partiallyFilled: "partially_filled"
            case .filled: "filled"
            case .canceled: "canceled"
            case .rejected: "rejected"
            case .unknown: "unknown"
            }
        }

        /// Whether no further updates follow.
        public var isTerminal: Bool {
            self == .filled || self == .canceled || self == .rejected
        }
    }

    public var symbol: Symbol
    public var status: Status
    /// Cumulative filled quantity.
    public var filled: Fixed
    /// Quantity still open.
    public var remaining: Fixed
    /// Average fill price; `nil` before the first fill.
    public var averagePrice: Fixed?
    /// When the broker learned this.
    public var time: Timestamp?
    /// The host-assigned id the order was submitted with.
    public var clientOrderID: String
    /// The venue's id, when it has assigned one.
    public var venueOrderID: String?
    /// A rejection reason or note.
    public var reason: String?

    /// Creates an update.
    public init(
        symbol: Symbol, status: Status, filled: Fixed = .zero, remaining: Fixed = .zero, averagePrice: Fixed? = nil,
        time: Timestamp? = nil, clientOrderID: String, venueOrderID: String? = nil, reason: String? = nil
    ) {
        self.symbol = symbol
        self.status = status
        self.filled = filled
        self.remaining = remaining
        self.averagePrice = averagePrice
        self.time = time
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
        self.reason = reason
    }

    /// A rejection of `order` with a reason.
    public static func rejected(_ order: Order, reason: String, at time: Timestamp? = nil) -> OrderUpdate {
        OrderUpdate(
            symbol: order.symbol, status: .rejected, remaining: .zero, time: time,
            clientOrderID: order.clientOrderID, reason: reason)
    }
}
