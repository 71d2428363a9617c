/// A node of a parsed YAML document: a scalar, a sequence or a mapping, with the place it starts.
///
/// Aliases are already expanded and mapping keys are plain strings (non-scalar keys are rejected by the parser), so
/// consumers walk a simple tree. Keys keep their own marks, so "unknown key" errors point at the key itself.
public struct YAMLNode: Sendable, Hashable {
    /// What a node holds.
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([Entry])
    }

    /// One key/value pair of a mapping, in document order.
    public struct Entry: Sendable, Hashable {
        /// The key's text.
        public var key: String
        /// Where the key starts.
        public var keyMark: Mark
        /// The value.
        public var value: YAMLNode

        public init(key: String, keyMark: Mark, value: YAMLNode) {
            self.key = key
            self.keyMark = keyMark
            self.value = value
        }
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts.
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// A plain scalar node, convenient for building trees in code.
    public static func scalar(_ text: String, style: YAMLScalar.Style = .plain, at mark: Mark) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(text, style: style)), mark: mark)
    }

    /// An empty mapping at `mark` (what an absent plugin `config:` means).
    public static func emptyMapping(at mark: Mark) -> YAMLNode {
        YAMLNode(.mapping([]), mark: mark)
    }

    // MARK: - Accessors

    /// The scalar, if this is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The items, if this is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries, if this is a mapping.
    public var mapping: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value under `key`, if this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key == key }?.value
    }

    /// Whether this is a null scalar (`~`, `null`, or nothing at all).
    public var isNull: Bool { scalar?.kind == .null }

    /// A short name of what the node is, for "expected X, got Y" messages: `mapping`, `sequence` or a scalar kind.
    public var kindName: String {
        switch content {
        case .scalar(let scalar): scalar.kind.rawValue
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }
}
