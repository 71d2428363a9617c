import NightshiftJSON

/// A deterministic generator (SplitMix64), so a failing random case reproduces.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random values and text for the round-trip and robustness tests.
enum Random {
    /// Scalars a string test should meet: ASCII, quotes and backslashes, every kind of control, DEL, the JavaScript
    /// line separators, two-, three- and four-byte UTF-8.
    static let interestingScalars: [Unicode.Scalar] = [
        "a", "Z", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1B}",
        "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "é", "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "€", "\u{FFFD}",
        "\u{FEFF}", "🚀", "\u{10FFFF}",
    ]

    static func string(using rng: inout SplitMix, maxLength: Int = 24) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &rng) {
            if Bool.random(using: &rng) {
                scalars.append(interestingScalars.randomElement(using: &rng)!)
            } else if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &rng)) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A finite double: a fraction, an integral value, a huge or tiny one, or any finite bit pattern.
    static func double(using rng: inout SplitMix) -> Double {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return Double.random(in: -1000...1000, using: &rng)
        case 1: return Double(Int.random(in: -1_000_000...1_000_000, using: &rng))
        case 2:
            let edges: [Double] = [1e15, 1e16, -1e300, .leastNonzeroMagnitude, 0.1, -0.0, .greatestFiniteMagnitude]
            return edges.randomElement(using: &rng)!
        default:
            let value = Double(bitPattern: rng.next())
            return value.isFinite ? value : 0.5
        }
    }

    /// A random value no deeper than `depth` levels of arrays and objects, with unique member names.
    static func value(using rng: inout SplitMix, depth: Int = 4) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .number(double(using: &rng))
        case 4, 5: return .string(string(using: &rng))
        case 6:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(using: &rng, depth: depth - 1) })
        default:
            var members: [(key: String, value: JSONValue)] = []
            for index in 0..<Int.random(in: 0...4, using: &rng) {
                members.append((string(using: &rng, maxLength: 6) + "#\(index)", value(using: &rng, depth: depth - 1)))
            }
            return .object(members)
        }
    }
}

/// The escaping rules written out one scalar at a time: the reference the fast `JSONString` must match.
func referenceQuoted(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": output += "\\\""
        case "\\": output += "\\\\"
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        case "\u{08}": output += "\\b"
        case "\u{0C}": output += "\\f"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
            let hex = String(scalar.value, radix: 16)
            output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: output.unicodeScalars.append(scalar)
        }
    }
    return output + "\""
}

/// The parse error for `text`, or `nil` when it parses.
func parseError(_ text: String) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(text)
        return nil
    } catch {
        return error
    }
}

/// The parse error for `bytes`, or `nil` when they parse.
func parseError(utf8 bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(utf8: bytes)
        return nil
    } catch {
        return error
    }
}
