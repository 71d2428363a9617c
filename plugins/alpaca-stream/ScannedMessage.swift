import NightshiftKit

/// One message of a frame as ``FrameScanner`` found it: its type and the known fields.
///
/// Numbers and timestamps are already converted; strings stay byte ranges into the frame until someone needs them,
/// so a trade or quote costs no allocation. A field absent or of the wrong JSON type is `nil`.
struct ScannedMessage {
    /// The `"T"` field.
    enum Kind: Equatable {
        case trade, quote, bar, updatedBar, dailyBar
        case success, subscription, error
        /// Another documented type (corrections, cancel errors, statuses, LULDs) or an unknown one.
        case other
        /// The message had no `"T"` string.
        case missing

        /// Whether the kind carries market data.
        var isData: Bool {
            switch self {
            case .trade, .quote, .bar, .updatedBar, .dailyBar: true
            default: false
            }
        }
    }

    var kind = Kind.missing
    /// `"S"`: the symbol's bytes; `nil` when absent, escaped, or not a plausible symbol.
    var symbol: Range<Int>?
    /// `"t"` in nanoseconds since the epoch.
    var time: Int64?

    // Trades: "p", "s". Quotes: "bp", "bs", "ap", "as". Bars: "o", "h", "l", "c", "v".
    var price: Fixed?
    var size: Fixed?
    var bidPrice: Fixed?
    var bidSize: Fixed?
    var askPrice: Fixed?
    var askSize: Fixed?
    var open: Fixed?
    var high: Fixed?
    var low: Fixed?
    var close: Fixed?
    var volume: Fixed?

    /// `"code"` of an error message.
    var code: Int?
    /// `"msg"`: its raw bytes and whether they contain escapes.
    var text: (range: Range<Int>, escaped: Bool)?
    /// The `trades`, `quotes` and `bars` arrays of a `subscription` acknowledgement, as raw byte ranges.
    var tradesList: Range<Int>?
    var quotesList: Range<Int>?
    var barsList: Range<Int>?

    /// The market event this message describes, or `nil` when a field it needs is missing.
    func event(symbol: Symbol) -> MarketEvent? {
        guard let time else { return nil }
        let at = Timestamp(nanosecondsSinceEpoch: time)
        switch kind {
        case .trade:
            guard let price, let size else { return nil }
            return .trade(symbol, price: price, size: size, at: at)
        case .quote:
            guard let bidPrice, let askPrice else { return nil }
            return .quote(
                symbol, bid: bidPrice, ask: askPrice, bidSize: bidSize ?? .zero, askSize: askSize ?? .zero, at: at)
        case .bar, .updatedBar, .dailyBar:
            guard let open, let high, let low, let close else { return nil }
            return .bar(symbol, open: open, high: high, low: low, close: close, volume: volume ?? .zero, at: at)
        default:
            return nil
        }
    }
}
