import NightshiftKit

/// The alpaca-stream configuration; defaults come from the schema.
///
/// `key_id` and `secret` are marked secret in the schema, so the host keeps them out of every log line and event
/// row; this type never prints them either.
struct AlpacaStreamConfig: Decodable {
    /// Which market data feed to stream.
    enum Feed: String, Decodable {
        case iex, sip, test
    }

    var feed: Feed
    var baseUrl: String
    var keyId: String
    var secret: String
    var trades: [String]
    var quotes: [String]
    var bars: [String]
    var updatedBars: [String]
    var dailyBars: [String]

    /// The IEX feed's limit on trade and quote subscriptions together (Alpaca's free plan).
    static let iexSymbolLimit = 30

    /// The WebSocket URL: the base URL followed by the feed, e.g. `wss://stream.data.alpaca.markets/v2/iex`.
    var streamURL: String {
        var base = Substring(baseUrl)
        while base.hasSuffix("/") { base = base.dropLast() }
        return "\(base)/\(feed.rawValue)"
    }

    /// The subscription to request once authenticated, duplicates removed in first-seen order.
    var subscription: Subscription {
        Subscription(
            trades: Self.unique(trades), quotes: Self.unique(quotes), bars: Self.unique(bars),
            updatedBars: Self.unique(updatedBars), dailyBars: Self.unique(dailyBars))
    }

    /// Checks what the schema subset cannot express.
    ///
    /// - Throws: ``PluginError/invalidConfig(_:file:line:)`` naming the offending key; for the IEX feed, naming the
    ///   30-symbol limit on trades and quotes together.
    func validate() throws {
        guard baseUrl.hasPrefix("ws://") || baseUrl.hasPrefix("wss://") else {
            throw PluginError.invalidConfig("base_url: expected a ws:// or wss:// URL")
        }
        guard !keyId.isEmpty else { throw PluginError.invalidConfig("key_id: must not be empty") }
        guard !secret.isEmpty else { throw PluginError.invalidConfig("secret: must not be empty") }
        let lists = [
            ("trades", trades), ("quotes", quotes), ("bars", bars), ("updated_bars", updatedBars),
            ("daily_bars", dailyBars),
        ]
        for (key, symbols) in lists {
            for symbol in symbols where !Self.isSymbol(symbol) {
                throw PluginError.invalidConfig(
                    "\(key): \"\(symbol)\" is not a symbol "
                        + "(1–32 printable ASCII characters without spaces, or \"*\")")
            }
        }
        let plan = subscription
        guard !plan.isEmpty else {
            throw PluginError.invalidConfig("subscribe to at least one symbol in trades, quotes, bars, "
                + "updated_bars or daily_bars")
        }
        if feed == .iex {
            let count = plan.trades.count + plan.quotes.count
            let wildcard = plan.trades.contains("*") || plan.quotes.contains("*")
            if wildcard || count > Self.iexSymbolLimit {
                let asked =
                    wildcard
                    ? "\"*\" (every symbol)" : "\(count) (trades \(plan.trades.count), quotes \(plan.quotes.count))"
                throw PluginError.invalidConfig(
                    "trades + quotes: the IEX feed allows at most \(Self.iexSymbolLimit) symbols for trades and "
                        + "quotes together; this configuration asks for \(asked)")
            }
        }
    }

    /// Whether `text` can name a symbol: what Alpaca lists, plus the `*` wildcard.
    static func isSymbol(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...32).contains(bytes.count) && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }
    }

    private static func unique(_ symbols: [String]) -> [String] {
        var seen: Set<String> = []
        return symbols.filter { seen.insert($0).inserted }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["key_id", "secret"],
          "properties": {
            "feed": {
              "type": "string", "enum": ["iex", "sip", "test"], "default": "iex",
              "description": "Market data feed: iex (free), sip (paid) or test (FAKEPACA around the clock)."
            },
            "base_url": {
              "type": "string", "default": "wss://stream.data.alpaca.markets/v2",
              "description": "The stream's base URL; the feed is appended as the last path segment."
            },
            "key_id": {"type": "string", "secret": true, "description": "API key id (APCA-API-KEY-ID)."},
            "secret": {"type": "string", "secret": true, "description": "API secret key (APCA-API-SECRET-KEY)."},
            "trades": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols whose trades to stream."
            },
            "quotes": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols whose quotes to stream (IEX: at most 30 trades + quotes together)."
            },
            "bars": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols whose minute bars to stream; \"*\" for every symbol."
            },
            "updated_bars": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols whose corrected minute bars to stream."
            },
            "daily_bars": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols whose running daily bars to stream."
            }
          }
        }
        """#
}
