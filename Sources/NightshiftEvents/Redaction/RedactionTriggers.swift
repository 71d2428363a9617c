import Synchronization

/// The cheap checks in front of `Redactor`'s scanners: which bytes can start a secret, and which keys name one.
///
/// Most event text (`AAPL`, `order 17 accepted`) holds nothing any scanner could change, so one pass over its bytes
/// for the few that can start a match lets the redactor return the text as it is, without the four full scans.
/// Field keys are a small, fixed set of literals, so whether a key names a secret is decided once and remembered.
struct RedactionTriggers: Sendable {
    /// Per byte value: `always` when the byte can start a match, `bearer` when it is a `b`/`B` that can.
    private let table: [UInt8]
    private static let always: UInt8 = 1
    private static let bearer: UInt8 = 2
    private static let bearerWord = Array("bearer".utf8)

    /// Triggers for the scanners and the exact `secrets` (each a non-empty byte string).
    init(secrets: [[UInt8]]) {
        var table = [UInt8](repeating: 0, count: 256)
        // `-----BEGIN` (private keys), `://` (URL passwords), `=` and `:` (key=value pairs) each need one of these.
        for byte in "-:=".utf8 { table[Int(byte)] = Self.always }
        table[Int(UInt8(ascii: "b"))] = Self.bearer
        table[Int(UInt8(ascii: "B"))] = Self.bearer
        for secret in secrets { if let first = secret.first { table[Int(first)] = Self.always } }
        self.table = table
    }

    /// Whether any scanner could change `text`; `false` means the text holds no secret the redactor would replace.
    func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            table.withUnsafeBufferPointer { table in
                var index = 0
                while index < bytes.count {
                    let flag = table[Int(bytes[index])]
                    if flag == Self.always { return true }
                    if flag == Self.bearer, Self.startsBearer(bytes, at: index) { return true }
                    index += 1
                }
                return false
            }
        }
    }

    private static func startsBearer(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + bearerWord.count <= bytes.count else { return false }
        for offset in 0..<bearerWord.count where bytes[index + offset] | 0x20 != bearerWord[offset] { return false }
        return true
    }
}

/// Remembers, per field key, whether the key names a secret.
///
/// Shared by the copies of one `Redactor` (they have the same fragments, so the same answers). Bounded: past
/// `capacity` distinct keys, further ones are decided afresh each time rather than remembered.
final class SensitiveKeyCache: Sendable {
    private let decisions = Mutex<[String: Bool]>([:])
    private let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    /// Whether `key` names a secret, from memory or by `decide`.
    func isSensitive(_ key: String, decide: (String) -> Bool) -> Bool {
        if let known = decisions.withLock({ $0[key] }) { return known }
        let decision = decide(key)
        decisions.withLock { decisions in
            if decisions.count < capacity { decisions[key] = decision }
        }
        return decision
    }
}
