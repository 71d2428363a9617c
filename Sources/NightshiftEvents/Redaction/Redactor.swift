/// Removes secrets from events before any sink sees them.
///
/// Two kinds of secret are caught. Exact values known at start (API keys, passwords read from the deployment's
/// secret sources) are replaced wherever they occur. Values that look like credentials are replaced by shape:
/// `Bearer …` tokens, PEM private-key blocks, the password in `scheme://user:password@host`, and the value after a
/// key that names a secret (`password=…`, `"api_key": "…"`, `Authorization: Basic …`). Fields whose key names a secret
/// (`*secret*`, `*password*`, `*token*`, `*api_key*`, `*private_key*`, …) lose their value whatever it is.
/// Each is replaced by `[REDACTED]`.
///
/// Exact values shorter than `minimumSecretLength` bytes are not matched as text: they would blank out ordinary words.
public struct Redactor: Sendable {
    /// What a secret is replaced with.
    public static let placeholder = "[REDACTED]"

    /// Exact values shorter than this many UTF-8 bytes are not searched for in text.
    public static let minimumSecretLength = 4

    /// Key fragments that mark a field or a `key=value` pair as secret, compared without case, `_` or `-`.
    public static let defaultSensitiveKeys = [
        "secret", "password", "passwd", "passphrase", "token", "api_key", "private_key", "authorization",
        "credential", "cookie",
    ]

    /// The key fragments this redactor was made with, as given.
    public let sensitiveKeys: [String]
    /// The exact secret values, longest first so a longer secret containing a shorter one is replaced whole.
    private let secrets: [[UInt8]]
    /// Sensitive key fragments, lowercased with separators removed.
    private let keyFragments: [[UInt8]]
    /// The bytes that can start a secret, so text without any is returned as it is.
    private let triggers: RedactionTriggers
    /// Which field keys name a secret, decided once per key.
    private let keyCache = SensitiveKeyCache()

    /// Creates a redactor for the given exact secret values and sensitive key fragments.
    public init(secrets: some Sequence<String> = [String](), sensitiveKeys: [String] = Redactor.defaultSensitiveKeys) {
        let unique = Set(secrets.map { Array($0.utf8) }.filter { $0.count >= Self.minimumSecretLength })
        self.secrets = unique.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        self.sensitiveKeys = sensitiveKeys
        self.keyFragments = sensitiveKeys.map { RedactionScanner.normalizedKey(Array($0.utf8)) }.filter { !$0.isEmpty }
        self.triggers = RedactionTriggers(secrets: self.secrets)
    }

    /// A redactor that also replaces the exact values in `more`.
    public func adding(secrets more: some Sequence<String>) -> Redactor {
        Redactor(secrets: secrets.map { String(decoding: $0, as: UTF8.self) } + Array(more), sensitiveKeys: sensitiveKeys)
    }

    /// Whether a field or parameter named `key` holds a secret.
    public func isSensitiveKey(_ key: String) -> Bool {
        keyCache.isSensitive(key) { RedactionScanner.isSensitive(key: Array($0.utf8), fragments: keyFragments) }
    }

    /// `text` with every known secret and credential-shaped value replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        redactedIfChanged(text) ?? text
    }

    /// `text` redacted, or `nil` when nothing in it is a secret.
    private func redactedIfChanged(_ text: String) -> String? {
        guard triggers.mayMatch(text) else { return nil }
        var bytes = Array(text.utf8)
        var changed = false
        for secret in secrets where RedactionScanner.replaceAll(&bytes, secret) { changed = true }
        if RedactionScanner.redactPrivateKeys(&bytes) { changed = true }
        if RedactionScanner.redactURLPasswords(&bytes) { changed = true }
        if RedactionScanner.redactBearerTokens(&bytes) { changed = true }
        if RedactionScanner.redactKeyValues(&bytes, fragments: keyFragments) { changed = true }
        return changed ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Fields with secret-named keys blanked and every string value redacted.
    ///
    /// Only the values that change are replaced, so fields holding no secret come back sharing their storage.
    public func redact(_ fields: EventFields) -> EventFields {
        var result = fields
        for (index, (key, value)) in zip(fields.keys, fields.values).enumerated() {
            if isSensitiveKey(key) {
                if value != .null, value != .string(Self.placeholder) { result.setValue(.string(Self.placeholder), at: index) }
            } else if case .string(let text) = value, let clean = redactedIfChanged(text) {
                result.setValue(.string(clean), at: index)
            }
        }
        return result
    }

    /// The event with its message and field values redacted.
    public func redact(_ event: EventRecord) -> EventRecord {
        var copy = event
        copy.message = redact(event.message)
        copy.fields = redact(event.fields)
        return copy
    }
}
