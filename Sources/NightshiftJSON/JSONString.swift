/// Writing JSON string literals, fast enough for every event the logger emits.
///
/// Escapes `"` and `\`, the C0 controls (`\n`, `\r`, `\t`, `\b`, `\f` by name, the rest as `\u00XX`), DEL (`\u007f`,
/// so a line stays safe in a terminal) and U+2028/U+2029 (line breaks to JavaScript). Everything else, including
/// non-ASCII text, is copied as UTF-8. Hex digits are lowercase.
///
/// Most strings need no escape at all, so one scan over the UTF-8 bytes decides: a clean string is appended whole;
/// otherwise the escaped literal is built in one allocation of its exact length.
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &output)
        return output
    }

    /// Appends `text` as a JSON string literal, quotes included, to `output`.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output.append("\"")
        var text = text
        // `withUTF8` is `mutating` only to make foreign storage contiguous; a native string is read in place.
        let escaped = text.withUTF8 { bytes -> String? in
            let length = escapedLength(bytes)
            guard length != bytes.count else { return nil }
            return String(unsafeUninitializedCapacity: length) { escape(bytes, into: $0) }
        }
        output.append(escaped ?? text)
        output.append("\"")
    }

    // MARK: - Bytes

    /// The number of UTF-8 bytes `bytes` take once escaped (equal to `bytes.count` when nothing needs escaping).
    private static func escapedLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var length = bytes.count
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x20, byte != 0x22, byte != 0x5C, byte != 0x7F, byte != 0xE2 {
                index += 1
                continue
            }
            switch byte {
            case 0x22, 0x5C, 0x08, 0x09, 0x0A, 0x0C, 0x0D: length += 1
            case 0xE2: if isLineSeparator(bytes, at: index) { length += 3 }
            default: length += 5
            }
            index += 1
        }
        return length
    }

    /// Writes the escaped form of `bytes` into `buffer`, which holds exactly `escapedLength(bytes)` bytes.
    private static func escape(
        _ bytes: UnsafeBufferPointer<UInt8>, into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var out = 0
        func put(_ byte: UInt8) {
            buffer[out] = byte
            out += 1
        }
        func putNamed(_ letter: Unicode.Scalar) {
            put(UInt8(ascii: "\\"))
            put(UInt8(ascii: letter))
        }
        func putUnicode(_ nibbles: (UInt8, UInt8, UInt8, UInt8)) {
            put(UInt8(ascii: "\\"))
            put(UInt8(ascii: "u"))
            put(hexDigit(nibbles.0))
            put(hexDigit(nibbles.1))
            put(hexDigit(nibbles.2))
            put(hexDigit(nibbles.3))
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22: putNamed("\"")
            case 0x5C: putNamed("\\")
            case 0x08: putNamed("b")
            case 0x09: putNamed("t")
            case 0x0A: putNamed("n")
            case 0x0C: putNamed("f")
            case 0x0D: putNamed("r")
            case 0..<0x20, 0x7F: putUnicode((0, 0, byte >> 4, byte & 0x0F))
            case 0xE2 where isLineSeparator(bytes, at: index):
                // U+2028 is E2 80 A8 and U+2029 is E2 80 A9.
                putUnicode((2, 0, 2, bytes[index + 2] == 0xA8 ? 8 : 9))
                index += 2
            default: put(byte)
            }
            index += 1
        }
        return out
    }

    /// Whether the bytes at `index` encode U+2028 or U+2029.
    private static func isLineSeparator(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xE2 && bytes[index + 1] == 0x80
            && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
