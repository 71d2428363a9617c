import NightshiftEvents

/// Keeps the deployment's secrets out of a recording.
///
/// Market data must replay byte for byte, so bodies and frames lose only the exact secret values the deployment
/// knows (an API key echoed back, a token in a payload), replaced by `[REDACTED]`; nothing is guessed from shapes.
/// URLs go through the full `Redactor`, which also blanks credential-shaped query parameters (`api_key=…`), and a
/// replayed request's URL is redacted the same way before the two are compared. Response headers whose name marks a
/// secret (`set-cookie`, `authorization`, …) lose their value.
struct SecretScrubber: Sendable {
    private let secrets: [[UInt8]]
    private let redactor: Redactor
    private static let placeholder = Array(Redactor.placeholder.utf8)

    init(secrets: Set<String>) {
        self.secrets = secrets.map { Array($0.utf8) }.filter { $0.count >= Redactor.minimumSecretLength }
            .sorted { $0.count > $1.count }
        redactor = Redactor(secrets: secrets)
    }

    /// The URL as recorded and as compared.
    func url(_ url: String) -> String { redactor.redact(url) }

    /// `bytes` with every exact secret value replaced.
    func bytes(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty else { return bytes }
        var output = bytes
        for secret in secrets where output.count >= secret.count {
            output = Self.replacing(secret, in: output)
        }
        return output
    }

    /// `text` with every exact secret value replaced.
    func text(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        let scrubbed = bytes(Array(text.utf8))
        return scrubbed.count == text.utf8.count && scrubbed.elementsEqual(text.utf8) ? text : String(decoding: scrubbed, as: UTF8.self)
    }

    /// A response header as recorded.
    func header(name: String, value: String) -> RecordedHeader {
        RecordedHeader(name: name, value: redactor.isSensitiveKey(name) ? Redactor.placeholder : text(value))
    }

    private static func replacing(_ needle: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(haystack.count)
        var index = 0
        while index < haystack.count {
            if haystack[index] == needle[0], index + needle.count <= haystack.count,
                haystack[index..<(index + needle.count)].elementsEqual(needle)
            {
                output += placeholder
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return output
    }
}
