internal import NightshiftABI

/// One market observation: a quote, trade, bar, forecast, market snapshot or a plugin-defined event.
///
/// A `MarketEvent` holds the fixed-layout ABI record itself, so emitting a batch copies memory and allocates nothing
/// per event. Only low-rate kinds (forecasts, market metadata, custom) carry a ``payload``, a JSON string.
///
/// `@unchecked Sendable`: the record's only pointer, its payload field, is always empty in a `MarketEvent`.
public struct MarketEvent: @unchecked Sendable {
    /// The ABI record; its payload field is always empty here (the payload lives in `payload`).
    var raw: ns_event

    /// Optional JSON details for low-rate kinds.
    public var payload: String?

    /// Creates an event with every price field explicit (unused fields stay zero).
    public init(
        kind: Kind, symbol: Symbol, time: Timestamp,
        price: Fixed = .zero, size: Fixed = .zero,
        bid: Fixed = .zero, ask: Fixed = .zero, bidSize: Fixed = .zero, askSize: Fixed = .zero,
        open: Fixed = .zero, high: Fixed = .zero, low: Fixed = .zero, volume: Fixed = .zero,
        source: UInt32 = 0, payload: String? = nil
    ) {
        raw = ns_event()
        raw.kind = kind.rawValue
        raw.symbol = symbol.id
        raw.ts_ns = time.nanosecondsSinceEpoch
        raw.price = price.raw
        raw.size = size.raw
        raw.bid = bid.raw
        raw.ask = ask.raw
        raw.bid_size = bidSize.raw
        raw.ask_size = askSize.raw
        raw.open = open.raw
        raw.high = high.raw
        raw.low = low.raw
        raw.volume = volume.raw
        raw.source = source
        self.payload = payload
    }

    /// Copies a borrowed ABI record, payload included.
    init(borrowing event: ns_event) {
        raw = event
        raw.payload = ns_str()
        payload = event.payload.nonEmptyString
    }

    // MARK: - Fields

    /// What the event describes.
    public var kind: Kind {
        get { Kind(rawValue: raw.kind) }
        set { raw.kind = newValue.rawValue }
    }

    /// The instrument.
    public var symbol: Symbol {
        get { Symbol(id: raw.symbol) }
        set { raw.symbol = newValue.id }
    }

    /// When the event happened at the venue (or was observed).
    public var time: Timestamp {
        get { Timestamp(nanosecondsSinceEpoch: raw.ts_ns) }
        set { raw.ts_ns = newValue.nanosecondsSinceEpoch }
    }

    /// Trade price, bar close, or last price.
    public var price: Fixed {
        get { Fixed(raw: raw.price) }
        set { raw.price = newValue.raw }
    }

    /// Trade size.
    public var size: Fixed {
        get { Fixed(raw: raw.size) }
        set { raw.size = newValue.raw }
    }

    /// Best bid.
    public var bid: Fixed {
        get { Fixed(raw: raw.bid) }
        set { raw.bid = newValue.raw }
    }

    /// Best ask.
    public var ask: Fixed {
        get { Fixed(raw: raw.ask) }
        set { raw.ask = newValue.raw }
    }

    /// Size at the best bid.
    public var bidSize: Fixed {
        get { Fixed(raw: raw.bid_size) }
        set { raw.bid_size = newValue.raw }
    }

    /// Size at the best ask.
    public var askSize: Fixed {
        get { Fixed(raw: raw.ask_size) }
        set { raw.ask_size = newValue.raw }
    }

    /// Bar open.
    public var open: Fixed {
        get { Fixed(raw: raw.open) }
        set { raw.open = newValue.raw }
    }

    /// Bar high.
    public var high: Fixed {
        get { Fixed(raw: raw.high) }
        set { raw.high = newValue.raw }
    }

    /// Bar low.
    public var low: Fixed {
        get { Fixed(raw: raw.low) }
        set { raw.low = newValue.raw }
    }

    /// Bar volume.
    public var volume: Fixed {
        get { Fixed(raw: raw.volume) }
        set { raw.volume = newValue.raw }
    }

    /// The index of the emitting instance, set by the host.
    public var source: UInt32 {
        get { raw.source }
        set { raw.source = newValue }
    }

    /// The midpoint of bid and ask.
    public var mid: Fixed { (bid + ask) / 2 }
}
