import NightshiftKit

/// The synthetic-quotes configuration; defaults come from the schema.
struct SyntheticQuotesConfig: Decodable {
    var symbols: [String]
    var quotesPerCycle: Int
    var seed: UInt64
    var startPrice: Fixed
    var spread: Fixed
    var step: Double

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard !symbols.isEmpty else { throw PluginError.invalidConfig("symbols: at least one is needed") }
        guard spread < startPrice else { throw PluginError.invalidConfig("spread must be below start_price") }
        guard Set(symbols).count == symbols.count else { throw PluginError.invalidConfig("symbols repeat") }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "symbols": {
              "type": "array", "items": {"type": "string"}, "default": ["SYN"],
              "description": "Instruments to quote; each walks independently."
            },
            "quotes_per_cycle": {
              "type": "integer", "minimum": 1, "maximum": 100000, "default": 10,
              "description": "Quotes emitted per cycle in total, taking the symbols in turn."
            },
            "seed": {"type": "integer", "minimum": 0, "default": 1, "description": "Random seed."},
            "start_price": {"type": "number", "minimum": 0.0001, "default": 100, "description": "Initial mid."},
            "spread": {"type": "number", "minimum": 0, "default": 0.02, "description": "Ask minus bid."},
            "step": {
              "type": "number", "minimum": 0, "maximum": 0.5, "default": 0.001,
              "description": "Largest relative move of the mid per quote."
            }
          }
        }
        """#
}
