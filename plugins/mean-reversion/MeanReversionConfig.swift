import NightshiftKit

/// The mean-reversion configuration; defaults come from the schema.
struct MeanReversionConfig: Decodable {
    var symbols: [String]
    var window: Int
    var threshold: Fixed
    var quantity: Fixed
    var maxPosition: Fixed
    var allowShort: Bool

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard quantity > .zero else { throw PluginError.invalidConfig("quantity must be positive") }
        guard maxPosition >= quantity else { throw PluginError.invalidConfig("max_position must be at least quantity") }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "symbols": {
              "type": "array", "items": {"type": "string"}, "default": [],
              "description": "Symbols to trade; empty trades every quoted symbol."
            },
            "window": {
              "type": "integer", "minimum": 2, "maximum": 100000, "default": 20,
              "description": "Quotes in the rolling mean."
            },
            "threshold": {
              "type": "number", "minimum": 0, "maximum": 1, "default": 0.01,
              "description": "Relative distance from the mean that triggers an order (0.01 = 1%)."
            },
            "quantity": {"type": "number", "minimum": 0, "default": 1, "description": "Quantity per order."},
            "max_position": {
              "type": "number", "minimum": 0, "default": 1,
              "description": "Largest absolute position per symbol."
            },
            "allow_short": {"type": "boolean", "default": false, "description": "Whether to sell below zero."}
          }
        }
        """#
}
