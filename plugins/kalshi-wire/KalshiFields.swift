import NightshiftKit

/// One Kalshi JSON object read leniently, as both Kalshi plugins read orders and markets: a field that is absent, of
/// the wrong type or out of range reads as `nil` rather than failing the whole reply.
///
/// Kalshi documents counts as integers and prices in cents; newer replies add decimal-string twins (`yes_price_dollars`,
/// `fill_count_fp`), used when the integer field is absent or unusable.
public struct KalshiFields {
    private let container: KeyedDecodingContainer<AnyKey>

    public init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: AnyKey.self)
    }

    /// A string field, required (the object means nothing without it).
    public func required(_ key: String) throws -> String {
        try container.decode(String.self, forKey: AnyKey(key))
    }

    public func string(_ key: String) -> String? {
        (try? container.decodeIfPresent(String.self, forKey: AnyKey(key))) ?? nil
    }

    public func integer(_ key: String) -> Int? {
        (try? container.decodeIfPresent(Int.self, forKey: AnyKey(key))) ?? nil
    }

    /// A finite number field.
    public func number(_ key: String) -> Double? {
        guard let value = (try? container.decodeIfPresent(Double.self, forKey: AnyKey(key))) ?? nil else { return nil }
        return value.isFinite ? value : nil
    }

    /// An amount between zero and `limit` units: the integer field `key` counted in `unit`s (a cent, a contract),
    /// else its decimal-string twin `key + suffix`.
    public func amount(_ key: String, twin suffix: String, unit: Int64, upTo limit: Int64) -> Fixed? {
        if let whole = integer(key), (0...limit).contains(Int64(whole)) { return Fixed(raw: Int64(whole) * unit) }
        guard let text = string(key + suffix), let value = Fixed(text),
            value >= .zero, value <= Fixed(raw: limit * unit)
        else { return nil }
        return value
    }

    /// A price in cents (0–100), else its `_dollars` twin (0–1).
    public func price(_ key: String) -> Fixed? {
        amount(key, twin: "_dollars", unit: Fixed.scale / 100, upTo: 100)
    }

    /// Any key by name.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
