import NightshiftJSON

/// Rendering a validated YAML subtree as the JSON handed to a plugin.
extension ConfigSchema {
    /// Validates `node`, then renders it as JSON typed by the schema with defaults applied, and collects its secrets.
    ///
    /// Integers, numbers and booleans become JSON numbers and booleans where the schema says so (a plain `5` under a
    /// `string` property becomes `"5"`); where the schema says nothing, YAML's own resolution decides. Absent
    /// properties with a `default` are added after the present ones, in schema order.
    ///
    /// - Parameters:
    ///   - node: The subtree, usually an instance's `config`.
    ///   - path: How messages name the subtree's root.
    /// - Throws: `ConfigErrors` with every validation error.
    public func render(_ node: YAMLNode, path: String = "config") throws(ConfigErrors) -> PluginConfig {
        let errors = validate(node, path: path)
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        var secrets: Set<String> = []
        let value = convert(node, secret: false, &secrets)
        secrets.remove("")
        return PluginConfig(value: value, secrets: secrets)
    }

    /// The JSON value `node` stands for under this schema (used to compare against `enum`).
    func typedValue(_ node: YAMLNode) -> JSONValue? {
        var ignored: Set<String> = []
        return convert(node, secret: false, &ignored)
    }

    private func convert(_ node: YAMLNode, secret: Bool, _ secrets: inout Set<String>) -> JSONValue {
        let secret = secret || isSecret
        let value: JSONValue
        switch (effectiveType, node.content) {
        case (.object?, .mapping(let entries)), (nil, .mapping(let entries)):
            var members: [(key: String, value: JSONValue)] = entries.map { entry in
                let schema: ConfigSchema? =
                    if let property = property(entry.key) {
                        property
                    } else if case .schema(let extra) = additionalProperties { extra } else { nil }
                let rendered =
                    schema?.convert(entry.value, secret: secret, &secrets)
                    ?? Self.untyped(entry.value, secret: secret, &secrets)
                return (entry.key, rendered)
            }
            for property in properties where !entries.contains(where: { $0.key == property.name }) {
                guard let defaultValue = property.schema.defaultValue else { continue }
                members.append((property.name, defaultValue))
                if secret || property.schema.isSecret { Self.collect(defaultValue, into: &secrets) }
            }
            value = .object(members)
        case (.array?, .sequence(let items)), (nil, .sequence(let items)):
            value = .array(
                items.map {
                    self.items?.convert($0, secret: secret, &secrets) ?? Self.untyped($0, secret: secret, &secrets)
                })
        case (.string?, .scalar(let scalar)):
            value = .string(scalar.text)
        case (.integer?, _):
            value = Self.integer(node).map(JSONValue.integer) ?? .null
        case (.number?, .scalar(let scalar)):
            value =
                scalar.kind == .integer
                ? scalar.integerValue.map(JSONValue.integer) ?? .null
                : scalar.numberValue.map(JSONValue.number) ?? .null
        case (.boolean?, .scalar(let scalar)):
            value = scalar.boolValue.map(JSONValue.bool) ?? .null
        default:
            value = Self.untyped(node, secret: secret, &secrets)
        }
        if secret { Self.collect(value, into: &secrets) }
        return value
    }

    /// A value with no schema: YAML's own resolution decides its JSON type.
    static func untyped(_ node: YAMLNode, secret: Bool, _ secrets: inout Set<String>) -> JSONValue {
        switch node.content {
        case .mapping(let entries):
            return .object(entries.map { ($0.key, untyped($0.value, secret: secret, &secrets)) })
        case .sequence(let items):
            return .array(items.map { untyped($0, secret: secret, &secrets) })
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return .null
            case .boolean: return .bool(scalar.boolValue ?? false)
            case .integer: if let value = scalar.integerValue { return .integer(value) }
            case .number: if let value = scalar.numberValue, value.isFinite { return .number(value) }
            case .string: break
            }
            return .string(scalar.text)
        }
    }

    /// Adds every scalar of `value` to `secrets`.
    static func collect(_ value: JSONValue, into secrets: inout Set<String>) {
        switch value {
        case .array(let items): items.forEach { collect($0, into: &secrets) }
        case .object(let members): members.forEach { collect($0.value, into: &secrets) }
        default: if let text = value.scalarText, !text.isEmpty { secrets.insert(text) }
        }
    }
}
