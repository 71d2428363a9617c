/// The trading outcome of a run, from its event rows: orders, fills, rejections, blocks by reason, and per symbol
/// what was bought and sold for how much.
///
/// A pure accumulator: feed it every event (type and fields) in order. Fills come from `trade_executed`, whose
/// `filled_qty` is the order's cumulative fill and `price` its average price, so each fill's cash is the order's
/// notional now minus its notional at the previous fill.
public struct ReplayLedger: Sendable, Equatable {
    /// One symbol's trading.
    public struct Book: Sendable, Equatable {
        public var bought = 0.0
        public var sold = 0.0
        /// Cash from fills: sells add, buys subtract.
        public var cash = 0.0

        /// Bought minus sold.
        public var position: Double { bought - sold }

        /// Cash plus the position valued at `lastPrice`.
        public func pnl(lastPrice: Double) -> Double { cash + position * lastPrice }
    }

    /// `order_submitted` rows.
    public private(set) var orders = 0
    /// `trade_executed` rows.
    public private(set) var fills = 0
    /// `order_rejected` rows.
    public private(set) var rejected = 0
    /// `trade_blocked` rows by their `reason`.
    public private(set) var blocked: [String: Int] = [:]
    /// Per symbol.
    public private(set) var books: [String: Book] = [:]
    /// Per client order id, the cumulative fill and notional seen so far.
    private var filled: [String: (quantity: Double, notional: Double)] = [:]

    public init() {}

    /// Takes one event into account; events of other types are ignored.
    public mutating func record(_ type: String, fields: [String: HostLogValue]) {
        switch type {
        case "order_submitted":
            orders += 1
        case "order_rejected":
            rejected += 1
        case "trade_blocked":
            blocked[fields.text("reason") ?? "unknown", default: 0] += 1
        case "trade_executed":
            guard let id = fields.text("client_order_id"), let symbol = fields.text("symbol"),
                let quantity = fields.number("filled_qty"), let price = fields.number("price")
            else { return }
            fills += 1
            let previous = filled[id] ?? (0, 0)
            let notional = quantity * price
            filled[id] = (quantity, notional)
            let (delta, cash) = (quantity - previous.quantity, notional - previous.notional)
            if fields.text("side") == "sell" {
                books[symbol, default: Book()].sold += delta
                books[symbol, default: Book()].cash += cash
            } else {
                books[symbol, default: Book()].bought += delta
                books[symbol, default: Book()].cash -= cash
            }
        default:
            return
        }
    }

    public static func == (lhs: ReplayLedger, rhs: ReplayLedger) -> Bool {
        lhs.orders == rhs.orders && lhs.fills == rhs.fills && lhs.rejected == rhs.rejected && lhs.blocked == rhs.blocked
            && lhs.books == rhs.books
    }
}

extension [String: HostLogValue] {
    func text(_ key: String) -> String? {
        if case .string(let value) = self[key] { return value }
        return nil
    }

    func number(_ key: String) -> Double? {
        switch self[key] {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}
