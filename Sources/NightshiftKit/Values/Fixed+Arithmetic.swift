/// Arithmetic on fixed-point values.
///
/// Sums and differences are exact. Products and quotients are computed at full width and rounded half away from zero
/// at the eighth fractional digit, so `Fixed(1000) * Fixed(1000)` does not overflow its intermediate.
extension Fixed: AdditiveArithmetic {
    public static let zero = Fixed(raw: 0)

    public static func + (lhs: Fixed, rhs: Fixed) -> Fixed { Fixed(raw: lhs.raw + rhs.raw) }
    public static func - (lhs: Fixed, rhs: Fixed) -> Fixed { Fixed(raw: lhs.raw - rhs.raw) }
    public static prefix func - (value: Fixed) -> Fixed { Fixed(raw: -value.raw) }

    public static func * (lhs: Fixed, rhs: Fixed) -> Fixed {
        Fixed(raw: divideRounding(lhs.raw.multipliedFullWidth(by: rhs.raw), by: scale))
    }

    public static func / (lhs: Fixed, rhs: Fixed) -> Fixed {
        precondition(rhs.raw != 0, "Fixed division by zero")
        return Fixed(raw: divideRounding(lhs.raw.multipliedFullWidth(by: scale), by: rhs.raw))
    }

    public static func * (lhs: Fixed, rhs: Int) -> Fixed { Fixed(raw: lhs.raw * Int64(rhs)) }
    public static func * (lhs: Int, rhs: Fixed) -> Fixed { Fixed(raw: Int64(lhs) * rhs.raw) }

    public static func / (lhs: Fixed, rhs: Int) -> Fixed {
        precondition(rhs != 0, "Fixed division by zero")
        return Fixed(raw: divideRounding((lhs.raw < 0 ? -1 : 0, UInt64(bitPattern: lhs.raw)), by: Int64(rhs)))
    }

    public static func *= (lhs: inout Fixed, rhs: Fixed) { lhs = lhs * rhs }
    public static func /= (lhs: inout Fixed, rhs: Fixed) { lhs = lhs / rhs }

    /// Divides a 128-bit signed dividend, rounding half away from zero.
    private static func divideRounding(_ dividend: (high: Int64, low: UInt64), by divisor: Int64) -> Int64 {
        let (quotient, remainder) = divisor.dividingFullWidth(dividend)
        guard remainder != 0 else { return quotient }
        // The remainder has the dividend's sign; round away from zero when it is at least half the divisor.
        if remainder.magnitude * 2 >= divisor.magnitude {
            let negative = (dividend.high < 0) != (divisor < 0)
            return negative ? quotient - 1 : quotient + 1
        }
        return quotient
    }
}
