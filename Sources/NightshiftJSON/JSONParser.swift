/// A strict JSON parser (RFC 8259) that keeps object member order and says where a text goes wrong.
///
/// Order matters to its readers: a schema's allowed keys and rendered configs follow the schema's own order, and
/// event fields read back in the order they were written. Member names must be unique. Integers that fit `Int64`
/// stay `integer`; every other number must be a finite `Double`. Nesting is capped at `maximumDepth`, so hostile
/// input cannot exhaust the stack, and no input makes the parser trap: every defect is a `JSONParseError`.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 64

    let bytes: [UInt8]
    var index = 0
    private var depth = 0

    /// Parses a complete JSON text: one value, with optional whitespace around it.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(utf8: Array(text.utf8))
    }

    /// Parses a complete JSON text from UTF-8 bytes; a string whose bytes are not valid UTF-8 is an `encoding` error.
    public static func parse(utf8 bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw parser.failure(.syntax, "unexpected text after the JSON value")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw failure(.syntax, "unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw failure(.depth, "nesting deeper than \(Self.maximumDepth) levels")
            }
            return byte == UInt8(ascii: "{") ? try parseObject() : try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure(.syntax, "unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        // Names seen so far, kept once an object outgrows a linear scan, so many members cost linear time.
        var names: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure(.syntax, "expected a member name in quotes") }
            let keyOffset = index
            let key = try parseString()
            if Self.isDuplicate(key, in: members, names: &names) {
                throw failure(.duplicateMember, "duplicate member '\(key)'", at: keyOffset)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure(.syntax, "expected ':' after a member name") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw failure(.syntax, "expected ',' or '}' in an object")
            }
        }
    }

    private static func isDuplicate(
        _ key: String, in members: [(key: String, value: JSONValue)], names: inout Set<String>
    ) -> Bool {
        if members.count < 16 { return members.contains { $0.key == key } }
        if names.isEmpty { names = Set(members.map(\.key)) }
        return !names.insert(key).inserted
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw failure(.syntax, "expected ',' or ']' in an array")
            }
        }
    }

    // MARK: - Helpers

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expectWord(_ word: String) throws(JSONParseError) {
        let length = word.utf8.count
        guard index + length <= bytes.count, bytes[index..<index + length].elementsEqual(word.utf8) else {
            throw failure(.syntax, "unexpected text (expected '\(word)')")
        }
        index += length
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    /// A failure at `offset` (by default the current position), counting lines and scalars up to it.
    func failure(_ code: JSONParseError.Code, _ message: String, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONParseError(code, message, line: line, column: column, offset: offset)
    }
}
