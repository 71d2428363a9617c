/// Turns the low-rate control messages (`success`, `subscription`, `error`) into values, allocating freely.
///
/// Data messages never come here; these arrive a handful of times per connection.
enum ControlDecoding {
    /// The longest server message kept, in bytes; the rest is cut so an error message stays one readable line.
    static let maxTextBytes = 512

    /// The handshake's view of a control message, or `nil` for data and unknown types.
    static func control(_ message: ScannedMessage, _ bytes: UnsafeBufferPointer<UInt8>) -> StreamSession.Control? {
        let text = message.text.map { string(bytes, $0.range, escaped: $0.escaped) } ?? ""
        switch message.kind {
        case .success:
            switch text {
            case "connected": return .connected
            case "authenticated": return .authenticated
            default: return .success(text)
            }
        case .subscription:
            return .subscription
        case .error:
            // An error without a usable code is still an error: 0 maps to "undocumented", which reconnects.
            return .error(code: message.code ?? 0, message: text)
        default:
            return nil
        }
    }

    /// What a `subscription` acknowledgement grants, per channel.
    struct Granted: Equatable {
        var trades: [String] = []
        var quotes: [String] = []
        var bars: [String] = []
    }

    /// The symbols a `subscription` acknowledgement lists for trades, quotes and bars.
    static func granted(_ message: ScannedMessage, _ bytes: UnsafeBufferPointer<UInt8>) -> Granted {
        Granted(
            trades: message.tradesList.map { strings(bytes, $0) } ?? [],
            quotes: message.quotesList.map { strings(bytes, $0) } ?? [],
            bars: message.barsList.map { strings(bytes, $0) } ?? [])
    }

    /// The strings of the JSON array in `range`; other elements are ignored, a malformed array gives what was read.
    static func strings(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [String] {
        var cursor = JSONCursor(UnsafeBufferPointer(rebasing: bytes[range]))
        guard cursor.consume(UInt8(ascii: "[")), !cursor.consume(UInt8(ascii: "]")) else { return [] }
        var result: [String] = []
        repeat {
            if cursor.peek() == UInt8(ascii: "\"") {
                guard let (inner, escaped) = cursor.readString() else { break }
                result.append(string(cursor.bytes, inner, escaped: escaped))
            } else if cursor.skipValue() == nil {
                break
            }
        } while cursor.consume(UInt8(ascii: ","))
        return result
    }

    /// The text of a string's raw bytes, escapes resolved; invalid UTF-8 or escapes become U+FFFD.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escaped: Bool) -> String {
        let clipped = range.lowerBound..<min(range.upperBound, range.lowerBound + maxTextBytes)
        let raw = UnsafeBufferPointer(rebasing: bytes[clipped])
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                output.append(byte)
                index += 1
                continue
            }
            let next = raw[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                let scalar = hexScalar(raw, at: index).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
                index += 4
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: output.append(next)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The four hex digits at `index` as a number (surrogates included; `Unicode.Scalar` refuses them).
    private static func hexScalar(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            guard JSONCursor.isHexDigit(byte) else { return nil }
            let digit = byte <= 0x39 ? UInt32(byte - 0x30) : UInt32((byte | 0x20) - 0x61 + 10)
            value = value * 16 + digit
        }
        return value
    }
}
