/// Checks request and handshake headers before they reach a C library.
///
/// A CR or LF in a header would let the text start a new header line; a NUL would silently cut it short; a colon or
/// whitespace in the name would change which header is sent. Both libcurl and libwebsockets copy header text as given,
/// so the check happens here.
enum HeaderValidation {
    /// Whether every header is safe to send.
    static func isValid(_ headers: [(name: String, value: String)]) -> Bool {
        headers.allSatisfy { header in
            !header.name.isEmpty
                && header.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
                && header.value.utf8.allSatisfy { $0 != 0x0D && $0 != 0x0A && $0 != 0x00 }
        }
    }
}
