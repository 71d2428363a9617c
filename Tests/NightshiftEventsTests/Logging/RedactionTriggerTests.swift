import Testing
@testable import NightshiftEvents

/// The shortcut in front of the redaction scanners never lets a secret through.
@Suite struct RedactionTriggerTests {
    @Test(arguments: [
        ("Zq9xWv8u", "value Zq9xWv8u here", "value [REDACTED] here"),
        ("~~~~~~~~", "x~~~~~~~~y", "x[REDACTED]y"),
        ("ünïcødé-secret", "got ünïcødé-secret!", "got [REDACTED]!"),
    ])
    func exactSecretsWithUnusualFirstBytesAreStillFound(secret: String, text: String, expected: String) {
        #expect(Redactor(secrets: [secret]).redact(text) == expected)
    }

    @Test(arguments: [
        ("BEARER abc123", "BEARER [REDACTED]"), ("x bEaReR abc", "x bEaReR [REDACTED]"),
        ("token:abc", "token:[REDACTED]"), ("password=pw", "password=[REDACTED]"),
        ("https://u:pw@h/x", "https://u:[REDACTED]@h/x"),
        ("-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----", "[REDACTED]"),
    ])
    func everyShapeStillTriggersItsScanner(text: String, expected: String) {
        #expect(Redactor().redact(text) == expected)
    }

    @Test func textWithoutAnyTriggerComesBackAsItIs() {
        let redactor = Redactor(secrets: ["PKAB12CD34EF56GH"])
        for text in ["AAPL", "order 17 accepted by the broker", "quote crossed the entry threshold", "bob", "Bear"] {
            #expect(redactor.redact(text) == text)
        }
    }

    @Test func keyDecisionsAreRememberedWithoutChangingThem() {
        let redactor = Redactor()
        for _ in 0..<3 {
            #expect(redactor.isSensitiveKey("api_key") && redactor.isSensitiveKey("X-Api-Key"))
            #expect(redactor.isSensitiveKey("client_secret") && redactor.isSensitiveKey("Authorization"))
            #expect(!redactor.isSensitiveKey("symbol") && !redactor.isSensitiveKey("bid_size"))
        }
        let copy = redactor
        #expect(copy.isSensitiveKey("session_cookie") && !copy.isSensitiveKey("venue"))
    }

    @Test func aFullKeyCacheStillDecidesEveryKey() {
        let cache = SensitiveKeyCache(capacity: 2)
        let redactor = Redactor()
        for index in 0..<10 {
            #expect(!cache.isSensitive("field\(index)") { redactor.isSensitiveKey($0) })
            #expect(cache.isSensitive("token\(index)") { redactor.isSensitiveKey($0) })
        }
    }

    @Test func fieldsWithoutSecretsAreUnchanged() {
        let fields: EventFields = ["symbol": "AAPL", "bid": 187.5, "size": 300, "stale": false, "note": nil]
        #expect(Redactor().redact(fields) == fields)
    }
}
