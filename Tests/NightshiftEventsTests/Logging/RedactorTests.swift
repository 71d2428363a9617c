import Testing
@testable import NightshiftEvents

@Suite struct RedactorTests {
    let redactor = Redactor(secrets: ["PKAB12CD34EF56GH", "hunter2-correct-horse"])

    @Test func exactSecretsAreReplacedWhereverTheyOccur() {
        #expect(redactor.redact("key PKAB12CD34EF56GH rejected") == "key [REDACTED] rejected")
        #expect(redactor.redact("xPKAB12CD34EF56GHx and hunter2-correct-horse") == "x[REDACTED]x and [REDACTED]")
    }

    @Test func aLongerSecretContainingAShorterOneIsReplacedWhole() {
        let nested = Redactor(secrets: ["abcd", "abcdefgh"])
        #expect(nested.redact("abcdefgh") == "[REDACTED]")
    }

    @Test func veryShortSecretsAreNotMatchedAsText() {
        #expect(Redactor(secrets: ["abc"]).redact("abc def") == "abc def")
    }

    @Test(arguments: [
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: [REDACTED]"),
        ("sent bearer abc123 to api", "sent bearer [REDACTED] to api"),
        ("postgres://bot:pa55w0rd@db.internal:5432/events", "postgres://bot:[REDACTED]@db.internal:5432/events"),
        ("dial wss://user:p%40ss@stream.example/v2 failed", "dial wss://user:[REDACTED]@stream.example/v2 failed"),
        ("login password=hunter3 user=bob", "login password=[REDACTED] user=bob"),
        (#"{"api_key":"AKIA123456","symbol":"AAPL"}"#, #"{"api_key":"[REDACTED]","symbol":"AAPL"}"#),
        ("GET /v1?token=abc&city=Berlin", "GET /v1?token=[REDACTED]&city=Berlin"),
        ("APCA-API-SECRET-KEY: s3cr3tv4lue", "APCA-API-SECRET-KEY: [REDACTED]"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: [REDACTED]"),
    ])
    func credentialShapedValuesAreReplaced(input: String, expected: String) {
        #expect(Redactor().redact(input) == expected)
    }

    @Test func privateKeyBlocksAreReplacedWhole() {
        let pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----\nafter"
        #expect(Redactor().redact(pem) == "key:\n[REDACTED]\nafter")
        let cut = "-----BEGIN PRIVATE KEY-----\nMIIEow"
        #expect(Redactor().redact(cut) == "[REDACTED]")
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
        #expect(Redactor().redact(certificate) == certificate)
    }

    @Test func ordinaryTextIsLeftAlone() {
        for text in ["password rejected for user bob", "token expired", "https://api.example.com/v2/orders",
                     "mail bob@example.com", "3 tokens left in the bucket", ""] {
            #expect(Redactor().redact(text) == text)
        }
    }

    @Test func fieldsNamedLikeSecretsLoseTheirValues() {
        let fields: EventFields = [
            "api_key": "abc", "ApiKey": "def", "X-Api-Key": "ghi", "client_secret": 42, "private_key": "k",
            "password": nil, "city": "Berlin", "url": "https://u:pw@example.com/x",
        ]
        let clean = redactor.redact(fields)
        for key in ["api_key", "ApiKey", "X-Api-Key", "client_secret", "private_key"] {
            #expect(clean[key] == .string(Redactor.placeholder))
        }
        #expect(clean["password"] == FieldValue.null)
        #expect(clean["city"] == "Berlin")
        #expect(clean["url"] == "https://u:[REDACTED]@example.com/x")
        #expect(clean.keys == fields.keys)
    }

    @Test func aWholeEventIsRedactedButItsIdentityKept() {
        let event = EventFactory().make("log", message: "using PKAB12CD34EF56GH", fields: ["k": "hunter2-correct-horse"])
        let clean = redactor.redact(event)
        #expect(clean.message == "using [REDACTED]")
        #expect(clean.fields["k"] == "[REDACTED]")
        #expect(clean.id == event.id && clean.eventType == event.eventType)
    }

    @Test func addingSecretsKeepsTheOldOnes() {
        let more = redactor.adding(secrets: ["another-secret"])
        #expect(more.redact("PKAB12CD34EF56GH another-secret") == "[REDACTED] [REDACTED]")
    }
}
