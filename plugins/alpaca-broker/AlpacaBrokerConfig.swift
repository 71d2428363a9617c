import NightshiftKit

/// The alpaca-broker configuration; defaults come from the schema.
///
/// `key_id` and `secret` are marked secret in the schema, so the host keeps them out of every log line and event
/// row; this type never prints them either.
struct AlpacaBrokerConfig: Decodable {
    var baseUrl: String
    var keyId: String
    var secret: String
    var requestTimeoutMs: Int
    var notFoundGraceSeconds: Int

    /// The base URL without a trailing slash.
    var base: String {
        var base = Substring(baseUrl)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }

    /// The per-attempt timeout, or `nil` for the instance's retry policy's.
    var requestTimeout: Duration? {
        requestTimeoutMs > 0 ? .milliseconds(requestTimeoutMs) : nil
    }

    /// Checks what the schema subset cannot express.
    func validate() throws {
        guard baseUrl.hasPrefix("http://") || baseUrl.hasPrefix("https://") else {
            throw PluginError.invalidConfig("base_url: expected an http:// or https:// URL")
        }
        guard !keyId.isEmpty else { throw PluginError.invalidConfig("key_id: must not be empty") }
        guard !secret.isEmpty else { throw PluginError.invalidConfig("secret: must not be empty") }
    }

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["key_id", "secret"],
          "properties": {
            "base_url": {
              "type": "string", "default": "https://paper-api.alpaca.markets",
              "description": "Trading API base URL: https://paper-api.alpaca.markets, or https://api.alpaca.markets."
            },
            "key_id": {"type": "string", "secret": true, "description": "API key id (APCA-API-KEY-ID)."},
            "secret": {"type": "string", "secret": true, "description": "API secret key (APCA-API-SECRET-KEY)."},
            "request_timeout_ms": {
              "type": "integer", "minimum": 0, "maximum": 600000, "default": 0,
              "description": "Per-attempt timeout in milliseconds; 0 uses the instance's retry policy."
            },
            "not_found_grace_seconds": {
              "type": "integer", "minimum": 0, "maximum": 86400, "default": 30,
              "description": "How long after an unknown submit outcome a query answering 404 still means unknown."
            }
          }
        }
        """#
}
