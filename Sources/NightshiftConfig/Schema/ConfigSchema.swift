import NightshiftJSON

/// A plugin's config schema: the JSON Schema subset plugins publish, checked against their YAML subtree.
///
/// Supported keywords: `type` (object, array, string, integer, number, boolean), `properties`, `required`,
/// `additionalProperties` (a boolean, default `false`, or a schema for the extra values), `items`, `enum`, `minimum`,
/// `maximum`, `minLength`, `maxLength`, `pattern`, `default`, `description`, and the non-standard `secret: true`
/// marking a value that must be redacted. `title`, `examples`, `$schema`, `$id` and `$comment` are accepted and
/// ignored; anything else is a schema error, so a typo in a schema is caught when the plugin is loaded.
public struct ConfigSchema: Sendable, Hashable {
    /// The value types a schema can require.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case object, array, string, integer, number, boolean
    }

    /// A named property of an object schema.
    public struct Property: Sendable, Hashable {
        public var name: String
        public var schema: ConfigSchema

        public init(name: String, schema: ConfigSchema) {
            self.name = name
            self.schema = schema
        }
    }

    /// What an object accepts besides its declared properties.
    public indirect enum AdditionalProperties: Sendable, Hashable {
        /// Nothing else: unknown keys are errors (the default).
        case forbidden
        /// Anything else, rendered as YAML resolves it.
        case allowed
        /// Other keys whose values match a schema (a map of named entries).
        case schema(ConfigSchema)
    }

    /// The required type; `nil` accepts any value (an object if `properties` are given).
    public var type: ValueType?
    /// The declared properties of an object, in schema order.
    public var properties: [Property] = []
    /// Property names that must be present (a property with a `default` is satisfied by it).
    public var required: [String] = []
    /// What other keys an object accepts.
    public var additionalProperties = AdditionalProperties.forbidden
    /// The allowed values, if restricted.
    public var enumValues: [JSONValue]?
    /// The smallest allowed number.
    public var minimum: Double?
    /// The largest allowed number.
    public var maximum: Double?
    /// The fewest characters a string may have.
    public var minLength: Int?
    /// The most characters a string may have.
    public var maxLength: Int?
    /// A regular expression a string must contain a match of.
    public var pattern: String?
    /// The value used when the property is absent.
    public var defaultValue: JSONValue?
    /// What the value is for.
    public var description: String?
    /// Whether the value is a secret: never shown in messages, recorded for redaction.
    public var isSecret = false
    /// The schema of an array's items, kept in an array because a struct cannot hold an optional of itself.
    private var itemSchemas: [ConfigSchema] = []

    public init(type: ValueType? = nil) {
        self.type = type
    }

    /// The schema of an array's items, if given.
    public var items: ConfigSchema? {
        get { itemSchemas.first }
        set { itemSchemas = newValue.map { [$0] } ?? [] }
    }

    /// The schema of the property `name`, if declared.
    public func property(_ name: String) -> ConfigSchema? {
        properties.first { $0.name == name }?.schema
    }

    /// The type validation applies: the declared one, or `object` when only `properties` are given.
    var effectiveType: ValueType? {
        type ?? (properties.isEmpty ? nil : .object)
    }
}
