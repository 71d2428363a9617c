import NightshiftKit

/// The kalshi-markets configuration; defaults come from the schema.
struct KalshiMarketsConfig: Decodable {
    var baseUrl: String
    var seriesTickers: [String]
    var tickers: [String]
    var status: String
    var pageLimit: Int
    var maxPages: Int
    var timeoutSeconds: Double

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard !seriesTickers.isEmpty || !tickers.isEmpty else {
            throw PluginError.invalidConfig("give series_tickers or tickers (or both)")
        }
        guard baseUrl.hasPrefix("http://") || baseUrl.hasPrefix("https://") else {
            throw PluginError.invalidConfig("base_url: expected an http:// or https:// URL")
        }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "base_url": {
              "type": "string", "default": "https://api.elections.kalshi.com/trade-api/v2",
              "description": "The trade API root, up to and including /trade-api/v2."
            },
            "series_tickers": {
              "type": "array", "items": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"}, "default": [],
              "description": "Series to list each cycle (GET /markets?series_ticker=..), e.g. KXHIGHNY."
            },
            "tickers": {
              "type": "array", "items": {"type": "string", "pattern": "^[A-Za-z0-9._-]+$"}, "default": [],
              "description": "Single markets to fetch each cycle (GET /markets/{ticker})."
            },
            "status": {
              "type": "string", "enum": ["", "unopened", "open", "closed", "settled"], "default": "open",
              "description": "The status filter for series listings; empty lists every status."
            },
            "page_limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200},
            "max_pages": {
              "type": "integer", "minimum": 1, "maximum": 100, "default": 5,
              "description": "Pages followed per series per cycle (the cursor is followed while non-empty)."
            },
            "timeout_seconds": {"type": "number", "minimum": 1, "maximum": 600, "default": 15}
          }
        }
        """#
}
