import NightshiftKit

/// The weather-edge configuration; defaults come from the schema.
struct WeatherEdgeConfig: Decodable {
    /// Which markets settle on which forecast location.
    struct Mapping: Decodable {
        /// A series ticker (`KXHIGHNY`): the market ticker's first segment.
        var series: String?
        /// A ticker prefix (`KXHIGHNY-25JAN`), for a narrower match.
        var tickerPrefix: String?
        /// The forecast location name (the open-meteo-ensemble location).
        var location: String

        /// Whether this mapping covers `ticker`.
        func covers(_ ticker: String) -> Bool {
            if let tickerPrefix, !tickerPrefix.isEmpty, !ticker.hasPrefix(tickerPrefix) { return false }
            if let series, !series.isEmpty, ticker.split(separator: "-").first.map(String.init) != series {
                return false
            }
            return true
        }
    }

    var markets: [Mapping]
    var variable: String
    var minEdge: Double
    var maxSpread: Double
    var maxForecastAgeHours: Double
    var minMembers: Int
    var orderSize: Int
    var maxContractsPerMarket: Int
    var roundToWholeDegrees: Bool
    var timeInForce: String
    var blockedLogIntervalMinutes: Double

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard !markets.isEmpty else { throw PluginError.invalidConfig("markets: give at least one mapping") }
        for mapping in markets where (mapping.series ?? "").isEmpty && (mapping.tickerPrefix ?? "").isEmpty {
            throw PluginError.invalidConfig(
                "markets: the mapping for \(mapping.location) needs series or ticker_prefix")
        }
        guard maxContractsPerMarket >= orderSize else {
            throw PluginError.invalidConfig("max_contracts_per_market must be at least order_size")
        }
    }

    /// The order's time in force.
    var orderTimeInForce: Order.TimeInForce {
        switch timeInForce {
        case "day": .day
        case "gtc": .goodTillCanceled
        case "fok": .fillOrKill
        default: .immediateOrCancel
        }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["markets"],
          "properties": {
            "markets": {
              "type": "array",
              "description": "Which markets settle on which forecast location.",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["location"],
                "properties": {
                  "series": {"type": "string", "description": "Series ticker, e.g. KXHIGHNY."},
                  "ticker_prefix": {"type": "string", "description": "Ticker prefix, e.g. KXHIGHNY-25JAN."},
                  "location": {"type": "string", "minLength": 1, "description": "Forecast location name."}
                }
              }
            },
            "variable": {
              "type": "string", "default": "temperature_2m",
              "description": "The forecast variable whose daily high settles the markets."
            },
            "min_edge": {
              "type": "number", "minimum": 0, "maximum": 1, "default": 0.08,
              "description": "Smallest probability minus ask (per contract, in dollars) worth trading."
            },
            "max_spread": {
              "type": "number", "minimum": 0, "maximum": 1, "default": 0.1,
              "description": "Widest yes bid/ask spread traded."
            },
            "max_forecast_age_hours": {
              "type": "number", "minimum": 0, "maximum": 168, "default": 13,
              "description": "Forecasts older than this (by the cycle that fetched them) are not traded on."
            },
            "min_members": {
              "type": "integer", "minimum": 1, "maximum": 1000, "default": 20,
              "description": "Fewest ensemble members a forecast needs."
            },
            "order_size": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
            "max_contracts_per_market": {
              "type": "integer", "minimum": 1, "maximum": 100000, "default": 10,
              "description": "Largest holding (filled plus open) per market, yes and no together."
            },
            "round_to_whole_degrees": {
              "type": "boolean", "default": true,
              "description": "Round member highs to whole degrees before comparing (settlement reports whole degrees)."
            },
            "time_in_force": {"type": "string", "enum": ["ioc", "fok", "day", "gtc"], "default": "ioc"},
            "blocked_log_interval_minutes": {
              "type": "number", "minimum": 0, "maximum": 10080, "default": 60,
              "description": "An unchanged trade_blocked reason per market is logged again only after this long."
            }
          }
        }
        """#
}
