import NightshiftKit

/// The open-meteo-ensemble configuration; defaults come from the schema.
struct OpenMeteoConfig: Decodable {
    /// A point to forecast, named for the events it produces.
    struct Location: Decodable {
        var name: String
        var latitude: Double
        var longitude: Double
        /// The API's `timezone` parameter: local days are cut in this zone (`auto` = the point's own).
        var timezone: String?
    }

    var locations: [Location]
    var variables: [String]
    var models: String
    var forecastDays: Int
    var temperatureUnit: String
    var baseUrl: String
    var minHoursPerDay: Int
    var runLagHours: Int
    var timeoutSeconds: Double

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard !locations.isEmpty else { throw PluginError.invalidConfig("locations: give at least one location") }
        var names = Set<String>()
        for location in locations {
            guard !location.name.isEmpty else { throw PluginError.invalidConfig("locations: a name is empty") }
            guard names.insert(location.name).inserted else {
                throw PluginError.invalidConfig("locations: duplicate name '\(location.name)'")
            }
        }
        guard !variables.isEmpty else { throw PluginError.invalidConfig("variables: give at least one variable") }
        guard !models.contains(",") else {
            throw PluginError.invalidConfig("models: one model per instance (its members would otherwise mix)")
        }
        guard baseUrl.hasPrefix("http://") || baseUrl.hasPrefix("https://") else {
            throw PluginError.invalidConfig("base_url: expected an http:// or https:// URL")
        }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["locations"],
          "properties": {
            "locations": {
              "type": "array",
              "description": "Points to forecast; each name becomes the events' symbol and the payload's location.",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "latitude", "longitude"],
                "properties": {
                  "name": {"type": "string", "minLength": 1, "description": "Location name, e.g. NYC."},
                  "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                  "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                  "timezone": {
                    "type": "string", "default": "auto",
                    "description": "Time zone that cuts local days (IANA name or auto)."
                  }
                }
              }
            },
            "variables": {
              "type": "array", "items": {"type": "string", "pattern": "^[a-z0-9_]+$"},
              "default": ["temperature_2m"], "description": "Hourly variables; each gives daily maxima per member."
            },
            "models": {
              "type": "string", "pattern": "^[a-z0-9_]+$", "default": "gfs_seamless",
              "description": "Ensemble model, e.g. gfs_seamless or ncep_gefs_seamless (one per instance)."
            },
            "forecast_days": {"type": "integer", "minimum": 1, "maximum": 35, "default": 7},
            "temperature_unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "fahrenheit"},
            "base_url": {
              "type": "string", "default": "https://ensemble-api.open-meteo.com",
              "description": "Scheme and host of the ensemble API (requests go to <base_url>/v1/ensemble)."
            },
            "min_hours_per_day": {
              "type": "integer", "minimum": 1, "maximum": 24, "default": 20,
              "description": "Hours a member needs on a local day for its maximum to count."
            },
            "run_lag_hours": {
              "type": "integer", "minimum": 0, "maximum": 24, "default": 5,
              "description": "Hours after a nominal run (00/06/12/18 UTC) until it is served; sets run_hint."
            },
            "timeout_seconds": {
              "type": "number", "minimum": 1, "maximum": 600, "default": 30,
              "description": "Per-attempt request timeout."
            }
          }
        }
        """#
}
