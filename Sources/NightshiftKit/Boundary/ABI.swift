internal import NightshiftABI

/// The C constants of the ABI header with the Swift types the structs use.
///
/// C's anonymous enums import as `Int`; these spell them once in the widths the fields have.
enum ABI {
    static let ok = ns_status(NS_OK)
    static let retry = ns_status(NS_RETRY)
    static let fatal = ns_status(NS_FATAL)
    static let invalidConfig = ns_status(NS_INVALID_CONFIG)

    static let major = UInt16(NS_ABI_MAJOR)
    static let minor = UInt16(NS_ABI_MINOR)

    static let kindPollSource = UInt32(NS_KIND_POLL_SOURCE)
    static let kindStreamSource = UInt32(NS_KIND_STREAM_SOURCE)
    static let kindStrategy = UInt32(NS_KIND_STRATEGY)
    static let kindBroker = UInt32(NS_KIND_BROKER)
}

// MARK: - Strings

extension ns_str {
    /// Copies the borrowed bytes into a Swift string (invalid UTF-8 is repaired).
    var string: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }

    /// The bytes as a string, or `nil` when empty.
    var nonEmptyString: String? {
        len == 0 ? nil : string
    }

    /// Copies the borrowed bytes.
    var bytes: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }
}

/// Calls `body` with a borrowed `ns_str` over the UTF-8 of `text`, valid only inside `body`.
func withNSStr<R>(_ text: String, _ body: (ns_str) throws -> R) rethrows -> R {
    var text = text
    return try text.withUTF8 { buffer in
        try body(ns_str(ptr: UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), len: buffer.count))
    }
}
