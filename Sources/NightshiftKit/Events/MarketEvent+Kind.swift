/// Kinds of market event, and constructors for the common ones.
extension MarketEvent {
    /// What an event describes: an open set mirroring the ABI's `NS_EVENT_*` values.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: UInt32

        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// Best bid and ask with sizes.
        public static let quote = Kind(rawValue: 1)
        /// A trade: price and size.
        public static let trade = Kind(rawValue: 2)
        /// A bar: open, high, low, price (close), volume.
        public static let bar = Kind(rawValue: 3)
        /// A low-rate forecast; details in the payload.
        public static let forecast = Kind(rawValue: 4)
        /// A prediction-market snapshot: yes-side bid/ask, price = last; details in the payload.
        public static let market = Kind(rawValue: 5)
        /// Plugin-defined; details in the payload.
        public static let custom = Kind(rawValue: 100)

        public var description: String {
            switch self {
            case .quote: "quote"
            case .trade: "trade"
            case .bar: "bar"
            case .forecast: "forecast"
            case .market: "market"
            case .custom: "custom"
            default: "kind(\(rawValue))"
            }
        }
    }

    /// A quote event.
    public static func quote(
        _ symbol: Symbol, bid: Fixed, ask: Fixed, bidSize: Fixed = .zero, askSize: Fixed = .zero, at time: Timestamp
    ) -> MarketEvent {
        MarketEvent(kind: .quote, symbol: symbol, time: time, bid: bid, ask: ask, bidSize: bidSize, askSize: askSize)
    }

    /// A trade event.
    public static func trade(_ symbol: Symbol, price: Fixed, size: Fixed, at time: Timestamp) -> MarketEvent {
        MarketEvent(kind: .trade, symbol: symbol, time: time, price: price, size: size)
    }

    /// A bar event; `close` is stored in ``price``.
    public static func bar(
        _ symbol: Symbol, open: Fixed, high: Fixed, low: Fixed, close: Fixed, volume: Fixed, at time: Timestamp
    ) -> MarketEvent {
        MarketEvent(
            kind: .bar, symbol: symbol, time: time, price: close, open: open, high: high, low: low, volume: volume)
    }
}

extension MarketEvent: Equatable {
    public static func == (lhs: MarketEvent, rhs: MarketEvent) -> Bool {
        lhs.kind == rhs.kind && lhs.symbol == rhs.symbol && lhs.time == rhs.time && lhs.price == rhs.price
            && lhs.size == rhs.size && lhs.bid == rhs.bid && lhs.ask == rhs.ask && lhs.bidSize == rhs.bidSize
            && lhs.askSize == rhs.askSize && lhs.open == rhs.open && lhs.high == rhs.high && lhs.low == rhs.low
            && lhs.volume == rhs.volume && lhs.source == rhs.source && lhs.payload == rhs.payload
    }
}

extension MarketEvent: CustomStringConvertible {
    public var description: String {
        switch kind {
        case .quote: "quote \(symbol) \(bid)/\(ask) @\(time)"
        case .trade: "trade \(symbol) \(size)@\(price) @\(time)"
        case .bar: "bar \(symbol) o\(open) h\(high) l\(low) c\(price) v\(volume) @\(time)"
        default: "\(kind) \(symbol) @\(time)\(payload.map { " \($0)" } ?? "")"
        }
    }
}
