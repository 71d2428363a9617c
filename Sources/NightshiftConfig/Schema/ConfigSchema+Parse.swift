import NightshiftJSON

/// Reading a schema from the JSON text a plugin publishes.
extension ConfigSchema {
    static let keywords = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum", "minLength",
        "maxLength", "pattern", "default", "description", "secret", "title", "examples", "$schema", "$id", "$comment",
    ]

    /// Parses and checks a schema.
    ///
    /// - Parameters:
    ///   - json: The schema text.
    ///   - plugin: The plugin that published it, named in every message.
    /// - Throws: `ConfigErrors` (code `schema`) listing every defect: malformed JSON with its line and column, unknown
    ///   keywords with a suggestion, wrong keyword types, a `default` that violates its own schema.
    public static func parse(json: String, plugin: String? = nil) throws(ConfigErrors) -> ConfigSchema {
        let prefix = plugin.map { "plugin '\($0)': config schema" } ?? "config schema"
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw ConfigErrors([
                ConfigError(
                    .schema,
                    "\(prefix) is not valid JSON at line \(error.line), column \(error.column): \(error.message)",
                    at: nil)
            ])
        }
        var reader = SchemaReader(prefix: prefix)
        let schema = reader.schema(value, path: "")
        guard reader.errors.isEmpty else { throw ConfigErrors(reader.errors) }
        return schema
    }
}

/// Walks a schema's JSON, building `ConfigSchema` values and collecting every defect.
private struct SchemaReader {
    let prefix: String
    var errors: [ConfigError] = []

    mutating func report(_ path: String, _ message: String) {
        let place = path.isEmpty ? "" : " at '\(path)'"
        errors.append(ConfigError(.schema, "\(prefix)\(place): \(message)", at: nil))
    }

    mutating func schema(_ value: JSONValue, path: String) -> ConfigSchema {
        var schema = ConfigSchema()
        guard case .object(let members) = value else {
            report(path, "expected a schema object, got \(value.typeName)")
            return schema
        }
        for member in members where !ConfigSchema.keywords.contains(member.key) {
            report(
                path,
                "unknown keyword '\(member.key)'; "
                    + Suggestion.unknownKeyHint(member.key, allowed: ConfigSchema.keywords))
        }
        func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        for (key, value) in members {
            switch key {
            case "type":
                if case .string(let name) = value, let type = ConfigSchema.ValueType(rawValue: name) {
                    schema.type = type
                } else {
                    report(
                        join(key),
                        "expected one of \(ConfigSchema.ValueType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "properties":
                guard case .object(let properties) = value else { report(join(key), "expected an object"); continue }
                schema.properties = properties.map {
                    ConfigSchema.Property(
                        name: $0.key, schema: self.schema($0.value, path: join("properties.\($0.key)")))
                }
            case "required":
                guard case .array(let names) = value else { report(join(key), "expected an array of names"); continue }
                schema.required = names.compactMap { if case .string(let name) = $0 { name } else { nil } }
                if schema.required.count != names.count { report(join(key), "expected an array of names") }
            case "additionalProperties":
                switch value {
                case .bool(let allowed): schema.additionalProperties = allowed ? .allowed : .forbidden
                case .object: schema.additionalProperties = .schema(self.schema(value, path: join(key)))
                default: report(join(key), "expected a boolean or a schema")
                }
            case "items":
                schema.items = self.schema(value, path: join(key))
            case "enum":
                guard case .array(let values) = value, !values.isEmpty else {
                    report(join(key), "expected a non-empty array"); continue
                }
                schema.enumValues = values
            case "minimum", "maximum":
                guard let number = Self.number(value) else { report(join(key), "expected a number"); continue }
                if key == "minimum" { schema.minimum = number } else { schema.maximum = number }
            case "minLength", "maxLength":
                guard case .integer(let length) = value, length >= 0, let count = Int(exactly: length) else {
                    report(join(key), "expected a non-negative integer")
                    continue
                }
                if key == "minLength" { schema.minLength = count } else { schema.maxLength = count }
            case "pattern":
                guard case .string(let pattern) = value, (try? Regex(pattern)) != nil else {
                    report(join(key), "expected a valid regular expression")
                    continue
                }
                schema.pattern = pattern
            case "default":
                schema.defaultValue = value
            case "description", "title", "$comment", "$schema", "$id":
                guard case .string(let text) = value else { report(join(key), "expected a string"); continue }
                if key == "description" { schema.description = text }
            case "secret":
                guard case .bool(let secret) = value else { report(join(key), "expected a boolean"); continue }
                schema.isSecret = secret
            default:
                break
            }
        }
        check(&schema, path: path)
        return schema
    }

    /// Cross-keyword checks: `required` names declared properties, bounds are ordered, the default fits.
    private mutating func check(_ schema: inout ConfigSchema, path: String) {
        let names = schema.properties.map(\.name)
        if case .forbidden = schema.additionalProperties {
            for name in schema.required where !names.contains(name) {
                report(path, "'required' names '\(name)', which is not among the properties")
            }
        }
        if let minimum = schema.minimum, let maximum = schema.maximum, minimum > maximum {
            report(path, "minimum is greater than maximum")
        }
        if let minLength = schema.minLength, let maxLength = schema.maxLength, minLength > maxLength {
            report(path, "minLength is greater than maxLength")
        }
        if let defaultValue = schema.defaultValue, let type = schema.effectiveType, !Self.matches(defaultValue, type) {
            report(path, "the default is \(defaultValue.typeName), not \(type.rawValue)")
        } else if let defaultValue = schema.defaultValue {
            let mark = Mark(file: "default", line: 1, column: 1)
            for error in schema.validate(YAMLNode(jsonValue: defaultValue, mark: mark), path: "default") {
                report(path, "the default does not fit the schema: \(error.message)")
            }
        }
    }

    /// Whether a JSON value has the JSON type a schema type names (a string default must be a JSON string).
    static func matches(_ value: JSONValue, _ type: ConfigSchema.ValueType) -> Bool {
        switch (type, value) {
        case (.object, .object), (.array, .array), (.string, .string), (.boolean, .bool), (.integer, .integer),
            (.number, .integer), (.number, .number):
            true
        case (.integer, .number(let number)):
            number == number.rounded()
        default:
            false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }
}

extension YAMLNode {
    /// The YAML tree a JSON value would parse to (strings quoted, so they stay strings), every node at `mark`.
    init(jsonValue: JSONValue, mark: Mark) {
        switch jsonValue {
        case .null: self = .scalar("null", at: mark)
        case .bool(let value): self = .scalar(value ? "true" : "false", at: mark)
        case .integer(let value): self = .scalar(String(value), at: mark)
        case .number(let value): self = .scalar(JSONValue.format(value), at: mark)
        case .string(let value): self = .scalar(value, style: .doubleQuoted, at: mark)
        case .array(let items):
            self = YAMLNode(.sequence(items.map { YAMLNode(jsonValue: $0, mark: mark) }), mark: mark)
        case .object(let members):
            let entries = members.map {
                YAMLNode.Entry(key: $0.key, keyMark: mark, value: YAMLNode(jsonValue: $0.value, mark: mark))
            }
            self = YAMLNode(.mapping(entries), mark: mark)
        }
    }
}
