/// The structured fields of an event: string keys to `FieldValue`s, in the order they were given.
///
/// Order is kept so an event reads the way its author wrote it (in JSON lines, in the journal, in the report). Setting
/// an existing key replaces its value in place; setting `nil` removes it. Lookups are linear: events carry a handful
/// of fields, and a small array beats hashing at that size. PostgreSQL's JSONB normalises key order, so events read
/// back from `PostgresEventStore` carry the same pairs in JSONB's order; compare `dictionary` when order is not the
/// point.
public struct EventFields: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    /// The keys, in order.
    public private(set) var keys: [String] = []
    /// The values, parallel to `keys`.
    public private(set) var values: [FieldValue] = []

    /// Creates empty fields.
    public init() {}

    /// Creates fields from pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, FieldValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    /// Creates fields from an unordered dictionary, ordering the keys by their UTF-8 bytes for a stable output.
    public init(_ dictionary: [String: FieldValue]) {
        guard !dictionary.isEmpty else { return }
        let sorted = dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        keys = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    /// Creates fields from keys known to be distinct, in order, and their values (as many as keys).
    init(uniqueKeys keys: [String], values: [FieldValue]) {
        self.keys = keys
        self.values = values
    }

    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        self.init(elements)
    }

    /// The number of fields.
    public var count: Int { keys.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`; assigning `nil` removes the key.
    public subscript(key: String) -> FieldValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// The fields as an unordered dictionary.
    public var dictionary: [String: FieldValue] {
        Dictionary(zip(keys, values), uniquingKeysWith: { _, last in last })
    }

    /// These fields followed by `other`'s; a key in both takes `other`'s value at its first position.
    public func merging(_ other: EventFields) -> EventFields {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var merged = self
        for (key, value) in other { merged[key] = value }
        return merged
    }

    /// Replaces the value at position `index`, keeping its key.
    mutating func setValue(_ value: FieldValue, at index: Int) {
        values[index] = value
    }

    /// Returns the fields with every value transformed, keys and order unchanged.
    public func mapValues(_ transform: (String, FieldValue) -> FieldValue) -> EventFields {
        var copy = self
        for index in copy.values.indices { copy.values[index] = transform(keys[index], values[index]) }
        return copy
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: FieldValue)> {
        zip(keys, values).lazy.map { (key: $0.0, value: $0.1) }.makeIterator()
    }
}
