import struct Foundation.Date

/// Parsing of the HTTP `Retry-After` header (RFC 9110 §10.2.3) into a delay.
///
/// The header holds either delta-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`, also the obsolete
/// RFC 850 and asctime forms). A date is turned into a delay relative to the wall-clock `now` the caller passes in, so
/// parsing never reads a clock. A date in the past, or a negative number, means "now": zero. Anything else is not a
/// `Retry-After` and yields `nil`, and the caller falls back to its backoff.
public enum RetryAfter {
    /// The delay `value` asks for, measured from `now`, or `nil` if `value` is not a valid `Retry-After`.
    ///
    /// - Parameters:
    ///   - value: The header's value; surrounding whitespace is ignored.
    ///   - now: The current wall-clock time, used to turn an HTTP-date into a delay.
    public static func parse(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let delay = parseSeconds(trimmed) {
            return delay
        }
        guard let date = HTTPDate.parse(trimmed, now: now) else { return nil }
        return .clampedSeconds(date.timeIntervalSince(now))
    }

    /// Delta-seconds: an optional sign and ASCII digits only. Values too large for `Int64` saturate.
    static func parseSeconds(_ text: Substring) -> Duration? {
        var digits = text
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if negative { return .zero }
        guard let seconds = Int64(digits) else { return .seconds(Int64.max) }
        return .seconds(seconds)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[start...end]
    }
}
