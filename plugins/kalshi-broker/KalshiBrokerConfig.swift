import NightshiftKit

/// The kalshi-broker configuration; defaults come from the schema.
///
/// `key_id` and `private_key` are marked secret: the host keeps their values out of every log line and event row,
/// and the plugin never puts them (or anything derived from the key) into a message.
struct KalshiBrokerConfig: Decodable {
    var baseUrl: String
    var keyId: String
    /// PEM text (`-----BEGIN …`) or the path of a PEM file.
    var privateKey: String
    var timeoutSeconds: Double
    var unknownGraceSeconds: Int
    var maxQueryPages: Int

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard baseUrl.hasPrefix("http://") || baseUrl.hasPrefix("https://") else {
            throw PluginError.invalidConfig("base_url: expected an http:// or https:// URL")
        }
        guard !keyId.isEmpty else { throw PluginError.invalidConfig("key_id: must not be empty") }
        guard !privateKey.isEmpty else { throw PluginError.invalidConfig("private_key: must not be empty") }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["key_id", "private_key"],
          "properties": {
            "base_url": {
              "type": "string", "default": "https://api.elections.kalshi.com/trade-api/v2",
              "description": "The trade API root, up to and including /trade-api/v2 (demo: demo-api.kalshi.co)."
            },
            "key_id": {
              "type": "string", "secret": true,
              "description": "The API key id, sent as KALSHI-ACCESS-KEY."
            },
            "private_key": {
              "type": "string", "secret": true,
              "description": "The RSA private key as PEM text, or the path of a PEM file."
            },
            "timeout_seconds": {
              "type": "number", "minimum": 1, "maximum": 120, "default": 10,
              "description": "Request timeout; an order POST that times out is reported unknown and reconciled."
            },
            "unknown_grace_seconds": {
              "type": "integer", "minimum": 0, "maximum": 3600, "default": 30,
              "description": "How long an unanswered order may be missing from the venue's list before it is rejected."
            },
            "max_query_pages": {
              "type": "integer", "minimum": 1, "maximum": 100, "default": 5,
              "description": "Pages of GET /portfolio/orders searched for a client order id."
            }
          }
        }
        """#
}
