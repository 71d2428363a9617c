/// A bounds-checked cursor over a frame's UTF-8 bytes that reads JSON tokens without allocating.
///
/// Every read checks the end of the buffer, and nesting is tracked iteratively up to ``maxDepth``, so no input can
/// make it read out of bounds, recurse deeply or loop forever: each step either consumes bytes or fails. A failed
/// read returns `nil`/`false` and leaves the cursor somewhere inside the value; the caller stops there.
struct JSONCursor {
    /// The deepest nesting accepted when skipping a value.
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The next byte after whitespace, without consuming it; `nil` at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    // MARK: - Tokens

    /// Reads a string, returning the byte range between its quotes and whether it contains escapes.
    ///
    /// Escapes are checked for shape only (`\uXXXX` needs four hex digits); raw control characters are refused.
    mutating func readString() -> (range: Range<Int>, escaped: Bool)? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return (start..<(index - 1), escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                guard index + 1 < bytes.count else { return nil }
                let next = bytes[index + 1]
                if next == UInt8(ascii: "u") {
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.isHexDigit(bytes[index + $0]) }) else {
                        return nil
                    }
                    index += 6
                } else {
                    guard Self.isSimpleEscape(next) else { return nil }
                    index += 2
                }
            case 0..<0x20:
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    /// Reads a number in JSON's grammar, returning its byte range.
    mutating func readNumber() -> Range<Int>? {
        skipWhitespace()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits() > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return nil }
        }
        return start..<index
    }

    /// Skips one value of any kind, nested up to ``maxDepth``; returns the range it spanned.
    mutating func skipValue() -> Range<Int>? {
        skipWhitespace()
        let start = index
        // Bit `n` of `objects` is set when the container at depth n+1 is an object.
        var objects: UInt64 = 0
        var depth = 0
        while true {
            // A value starts here.
            guard let byte = peek() else { return nil }
            var opened = false
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < Self.maxDepth else { return nil }
                index += 1
                let isObject = byte == UInt8(ascii: "{")
                if isObject { objects |= 1 << UInt64(depth) } else { objects &= ~(1 << UInt64(depth)) }
                depth += 1
                if consume(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    depth -= 1
                } else {
                    if isObject { guard readString() != nil, consume(UInt8(ascii: ":")) else { return nil } }
                    opened = true
                }
            case UInt8(ascii: "\""):
                guard readString() != nil else { return nil }
            case UInt8(ascii: "t"):
                guard literal("true") else { return nil }
            case UInt8(ascii: "f"):
                guard literal("false") else { return nil }
            case UInt8(ascii: "n"):
                guard literal("null") else { return nil }
            default:
                guard readNumber() != nil else { return nil }
            }
            if opened { continue }
            // After a value: close finished containers, or move to the next element.
            while true {
                if depth == 0 { return start..<index }
                let inObject = objects & (1 << UInt64(depth - 1)) != 0
                if consume(UInt8(ascii: ",")) {
                    if inObject { guard readString() != nil, consume(UInt8(ascii: ":")) else { return nil } }
                    break
                }
                guard consume(inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { return nil }
                depth -= 1
            }
        }
    }

    // MARK: - Helpers

    /// `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`.
    private static func isSimpleEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20)
    }

    /// Consumes ASCII digits; returns how many.
    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let range = index..<min(index + word.utf8CodeUnitCount, bytes.count)
        guard equals(range, word) else { return false }
        index = range.upperBound
        return true
    }

    /// Whether the bytes in `range` equal `text` (an ASCII literal).
    func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
        guard text.hasPointerRepresentation, range.count == text.utf8CodeUnitCount else { return false }
        let expected = text.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
        return true
    }
}
