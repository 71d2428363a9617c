import NightshiftKit

/// The quote-momentum configuration; defaults come from the schema.
struct QuoteMomentumConfig: Decodable {
    var symbols: [String]
    var window: Int
    var thresholdBps: Fixed
    var maxSpreadBps: Fixed
    var quantity: Fixed
    var maxPosition: Fixed
    var orderType: String
    var timeInForce: String
    var blockedEventIntervalSeconds: Int

    /// The order type to submit.
    var type: Order.OrderType { orderType == "limit" ? .limit : .market }

    /// How long orders rest.
    var tif: Order.TimeInForce {
        switch timeInForce {
        case "gtc": .goodTillCanceled
        case "ioc": .immediateOrCancel
        case "fok": .fillOrKill
        default: .day
        }
    }

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard window >= 1 else { throw PluginError.invalidConfig("window must be at least 1") }
        guard thresholdBps >= .zero else { throw PluginError.invalidConfig("threshold_bps must not be negative") }
        guard maxSpreadBps >= .zero else { throw PluginError.invalidConfig("max_spread_bps must not be negative") }
        guard quantity > .zero else { throw PluginError.invalidConfig("quantity must be positive") }
        guard maxPosition >= quantity else { throw PluginError.invalidConfig("max_position must be at least quantity") }
        guard ["market", "limit"].contains(orderType) else {
            throw PluginError.invalidConfig("order_type: expected market or limit")
        }
        guard ["day", "gtc", "ioc", "fok"].contains(timeInForce) else {
            throw PluginError.invalidConfig("time_in_force: expected day, gtc, ioc or fok")
        }
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
              "type": "integer", "minimum": 1, "maximum": 100000, "default": 20,
              "description": "EMA window in quotes (smoothing 2 / (window + 1)); no signal before this many quotes."
            },
            "threshold_bps": {
              "type": "number", "minimum": 0, "maximum": 10000, "default": 5,
              "description": "How far above its EMA the mid must be to buy, in basis points."
            },
            "max_spread_bps": {
              "type": "number", "minimum": 0, "maximum": 10000, "default": 10,
              "description": "Widest spread, in basis points of the mid, at which to buy."
            },
            "quantity": {"type": "number", "minimum": 0, "default": 1, "description": "Quantity per buy order."},
            "max_position": {
              "type": "number", "minimum": 0, "default": 1,
              "description": "Largest long position per symbol."
            },
            "order_type": {
              "type": "string", "enum": ["market", "limit"], "default": "market",
              "description": "market, or limit at the touch (buy at the ask, sell at the bid)."
            },
            "time_in_force": {
              "type": "string", "enum": ["day", "gtc", "ioc", "fok"], "default": "day",
              "description": "How long orders rest."
            },
            "blocked_event_interval_seconds": {
              "type": "integer", "minimum": 0, "maximum": 86400, "default": 60,
              "description": "At most one trade_blocked event per symbol and reason in this many seconds."
            }
          }
        }
        """#
}
