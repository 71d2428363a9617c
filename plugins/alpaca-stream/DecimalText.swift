import NightshiftKit

/// Converts JSON number text straight to ``Fixed`` (eight decimals) and to integers, without `Double` or allocation.
///
/// Digits past the eighth decimal place round half away from zero; exponents are honoured; significant digits past
/// the eighteenth are dropped (prices and sizes never have that many). A value outside `Fixed`'s range is `nil`.
enum DecimalText {
    /// `10^n` for n in 0...18.
    private static let powers: [Int64] = (0...18).map { n in (0..<n).reduce(1) { value, _ in value * 10 } }

    /// The fixed-point value of the number in `range`, which ``JSONCursor/readNumber()`` has already validated.
    static func fixed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Fixed? {
        var index = range.lowerBound
        let end = range.upperBound
        guard index < end else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: Int64 = 0
        var scale = 0  // value = mantissa × 10^scale
        var seenPoint = false
        var nextDigit: Int64 = -1  // the first dropped digit, for rounding
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if (0x30...0x39).contains(byte) {
                let digit = Int64(byte - 0x30)
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa * 10 + digit
                    if seenPoint { scale -= 1 }
                } else {
                    if nextDigit < 0 { nextDigit = digit }
                    if !seenPoint { scale += 1 }
                }
            } else {
                break  // an exponent follows
            }
            index += 1
        }
        if index < end {
            index += 1  // 'e' or 'E'
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            while index < end, (0x30...0x39).contains(bytes[index]) {
                // Saturate: anything this large under- or overflows anyway.
                exponent = min(exponent * 10 + Int(bytes[index] - 0x30), 10_000)
                index += 1
            }
            scale += exponentNegative ? -exponent : exponent
        }
        if nextDigit >= 5 { mantissa += 1 }
        guard let raw = rescale(mantissa, by: scale + 8) else { return nil }
        return Fixed(raw: negative ? -raw : raw)
    }

    /// A non-negative integer of at most 9 digits in `range`, or `nil`.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard (1...9).contains(range.count) else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// `mantissa × 10^exponent`, rounded half away from zero; `nil` past `Int64`.
    private static func rescale(_ mantissa: Int64, by exponent: Int) -> Int64? {
        if mantissa == 0 { return 0 }
        if exponent >= 0 {
            guard exponent <= 18 else { return nil }
            let (value, overflow) = mantissa.multipliedReportingOverflow(by: powers[exponent])
            return overflow ? nil : value
        }
        guard -exponent <= 18 else { return 0 }
        let divisor = powers[-exponent]
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        return remainder * 2 >= divisor ? quotient + 1 : quotient
    }
}
