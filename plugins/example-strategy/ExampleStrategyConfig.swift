import NightshiftKit

/// The example strategy's configuration, decoded from the instance's `config:` block.
///
/// The schema below is the single place the keys, their types, bounds and defaults are written: the host checks the
/// deployment file against it (reporting file:line:column) before the plugin is created, and the SDK fills in the
/// defaults, so `decode` sees every key. `snake_case` keys become `camelCase` properties.
struct ExampleStrategyConfig: Decodable {
    var symbols: [String]
    var streak: Int
    var quantity: Fixed
    var maxPosition: Fixed

    /// Checks what the schema cannot express; a failure makes the host exit with its configuration status (78).
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
            "streak": {
              "type": "integer", "minimum": 2, "maximum": 1000, "default": 3,
              "description": "Consecutive rising (or falling) mids that make a signal."
            },
            "quantity": {"type": "number", "minimum": 0, "default": 1, "description": "Quantity per order."},
            "max_position": {
              "type": "number", "minimum": 0, "default": 3, "description": "Largest position per symbol."
            }
          }
        }
        """#
}
