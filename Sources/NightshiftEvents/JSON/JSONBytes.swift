/// Event JSON written straight into a byte buffer, in one pass: the same text as `jsonText` and `jsonLine`.
///
/// The stores and the sinks want bytes (a bound parameter, a `COPY` row, a line on stdout), so building a `String`
/// first only to take its UTF-8 again is wasted work. A string with nothing to escape is copied whole; escaping
/// follows `JSONString` exactly (the two named escapes `\"` `\\`, `\b` `\t` `\n` `\f` `\r`, `\u00XX` for other
/// control bytes and DEL, `\u2028`/`\u2029` for the line separators).
enum JSONBytes {
    /// Appends `text` as a JSON string literal, quotes included; with `replacingNUL`, U+0000 becomes U+FFFD first
    /// (for PostgreSQL, whose text and JSONB cannot hold it).
    static func appendQuoted(_ text: String, to output: inout [UInt8], replacingNUL: Bool = false) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            if !needsEscaping(bytes) {
                output.append(contentsOf: bytes)
            } else {
                appendEscaped(bytes, to: &output, replacingNUL: replacingNUL)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the fields as a JSON object, keys in order.
    static func appendObject(_ fields: EventFields, to output: inout [UInt8], replacingNUL: Bool = false) {
        output.append(UInt8(ascii: "{"))
        for index in 0..<fields.count {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendQuoted(fields.keys[index], to: &output, replacingNUL: replacingNUL)
            output.append(UInt8(ascii: ":"))
            append(fields.values[index], to: &output, replacingNUL: replacingNUL)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Appends one value as `FieldValue.appendJSON(to:)` writes it.
    static func append(_ value: FieldValue, to output: inout [UInt8], replacingNUL: Bool = false) {
        switch value {
        case .string(let text): appendQuoted(text, to: &output, replacingNUL: replacingNUL)
        case .int(let number): appendInteger(number, to: &output)
        case .bool(let flag): output.append(contentsOf: flag ? trueBytes : falseBytes)
        case .null: output.append(contentsOf: nullBytes)
        case .double(let number):
            if number.isNaN {
                output.append(contentsOf: #""NaN""#.utf8)
            } else if number.isInfinite {
                output.append(contentsOf: number < 0 ? #""-Infinity""#.utf8 : #""Infinity""#.utf8)
            } else {
                let text = String(number).utf8
                output.append(contentsOf: text)
                if !text.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                    output.append(contentsOf: ".0".utf8)
                }
            }
        }
    }

    /// Appends a decimal integer.
    static func appendInteger(_ number: Int64, to output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        // At most 20 digits, written backwards into 24 bytes on the stack.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)

    // MARK: - Escaping

    private static func needsEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
            return true
        }
        return false
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], replacingNUL: Bool) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22: output.append(contentsOf: [0x5C, 0x22])
            case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
            case 0x08: output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00 where replacingNUL: output.append(contentsOf: [0xEF, 0xBF, 0xBD])
            case 0..<0x20, 0x7F: appendUnicodeEscape((0, 0, byte >> 4, byte & 0x0F), to: &output)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                appendUnicodeEscape((2, 0, 2, bytes[index + 2] == 0xA8 ? 8 : 9), to: &output)
                index += 2
            default: output.append(byte)
            }
            index += 1
        }
    }

    private static func appendUnicodeEscape(_ nibbles: (UInt8, UInt8, UInt8, UInt8), to output: inout [UInt8]) {
        func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
        output.append(contentsOf: [0x5C, UInt8(ascii: "u"), hex(nibbles.0), hex(nibbles.1), hex(nibbles.2), hex(nibbles.3)])
    }
}
