/// A fixed-point decimal with eight fractional digits, the unit of every price and quantity crossing the boundary.
///
/// `Fixed` stores `value × 10⁸` in an `Int64`, so 1.5 is `Fixed(raw: 150_000_000)`. Arithmetic is exact for
/// addition and subtraction; multiplication and division round half away from zero at the eighth digit. Like `Int`,
/// results that do not fit in 64 bits trap.
public struct Fixed: Sendable, Hashable, Comparable {
    /// The number of raw units in 1.0.
    public static let scale: Int64 = 100_000_000

    /// The stored value, `value × scale`.
    public var raw: Int64

    /// Creates a value from its raw representation (`value × scale`).
    public init(raw: Int64) {
        self.raw = raw
    }

    /// Creates a value from a whole number.
    public init(_ value: Int) {
        raw = Int64(value) * Fixed.scale
    }

    /// Creates the nearest value to a `Double`.
    ///
    /// The value must be finite and within ±9.2 × 10¹⁰, as with `Int64(_:)`.
    public init(_ value: Double) {
        raw = Int64((value * Double(Fixed.scale)).rounded(.toNearestOrAwayFromZero))
    }

    /// The value as a `Double` (may lose digits past fifteen significant ones).
    public var doubleValue: Double {
        let whole = raw / Fixed.scale
        let fraction = raw % Fixed.scale
        return Double(whole) + Double(fraction) / Double(Fixed.scale)
    }

    /// The absolute value.
    public var magnitude: Fixed { Fixed(raw: abs(raw)) }

    /// Whether the value is zero.
    public var isZero: Bool { raw == 0 }

    public static func < (lhs: Fixed, rhs: Fixed) -> Bool { lhs.raw < rhs.raw }
}

// MARK: - Literals

extension Fixed: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public init(floatLiteral value: Double) {
        self.init(value)
    }
}

// MARK: - Text

extension Fixed: CustomStringConvertible, LosslessStringConvertible {
    /// Parses a decimal string such as `"-12.5"` or `"0.00000001"`.
    ///
    /// Digits past the eighth fractional place round half away from zero. Exponents and grouping are not accepted.
    public init?(_ description: String) {
        var bytes = Substring(description).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var roundUp = false
        var seenDigit = false
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            seenDigit = true
            if !seenPoint {
                let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                guard !o1, !o2 else { return nil }
                whole = sum
            } else if fractionDigits < 8 {
                fraction = fraction * 10 + digit
                fractionDigits += 1
            } else if fractionDigits == 8 {
                roundUp = digit >= 5
                fractionDigits += 1
            }
        }
        guard seenDigit else { return nil }
        for _ in 0..<max(0, 8 - fractionDigits) { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: Fixed.scale)
        let (magnitude, o2) = scaled.addingReportingOverflow(fraction + (roundUp ? 1 : 0))
        guard !o1, !o2 else { return nil }
        raw = negative ? -magnitude : magnitude
    }

    /// The shortest exact decimal text, e.g. `"1.5"`, `"-0.00000001"`, `"100"`.
    public var description: String {
        let sign = raw < 0 ? "-" : ""
        let magnitude = raw.magnitude
        let whole = magnitude / UInt64(Fixed.scale)
        var fraction = magnitude % UInt64(Fixed.scale)
        guard fraction != 0 else { return "\(sign)\(whole)" }
        var digits = 8
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
    }
}

// MARK: - Codable

extension Fixed: Codable {
    /// Decodes from a JSON number or a decimal string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Fixed(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\"\(text)\" is not a decimal number")
            }
            self = value
        } else {
            let number = try container.decode(Double.self)
            guard number.isFinite, abs(number) < 9.2e10 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(number) is outside the fixed-point range")
            }
            self.init(number)
        }
    }

    /// Encodes as a JSON number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(doubleValue)
    }
}
