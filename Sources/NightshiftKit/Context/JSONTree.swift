import Foundation

/// Helpers over `JSONSerialization` trees for the configuration's path lookups and schema defaults.
enum JSONTree {
    /// Parses JSON text, accepting scalars at the top level; `nil` when malformed.
    static func parse(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// Serializes a tree back to JSON text.
    static func serialize(_ value: Any) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether a parsed number was a JSON `true`/`false`.
    static func isBool(_ number: NSNumber) -> Bool {
        // Booleans parse as a distinct NSNumber type; compare against the canonical ones' object type.
        type(of: number) == type(of: NSNumber(value: true)) && String(cString: number.objCType) == "c"
    }
}

/// Fills in schema defaults: every property absent from the configuration that declares a `default` gets it.
///
/// Nested objects are filled recursively when present or when their schema gives defaults of its own, so a plugin
/// reads one complete configuration and the schema stays the single place defaults are written.
enum SchemaDefaults {
    /// The configuration with defaults applied; the input unchanged when either text is not a JSON object.
    static func apply(schema: String, to config: String) -> String {
        let configText = config.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemaTree = JSONTree.parse(schema) as? [String: Any],
            let configTree = (configText.isEmpty || configText == "null") ? [:] : JSONTree.parse(configText)
                as? [String: Any]
        else { return config }
        return JSONTree.serialize(fill(configTree, schema: schemaTree)) ?? config
    }

    private static func fill(_ object: [String: Any], schema: [String: Any]) -> [String: Any] {
        guard let properties = schema["properties"] as? [String: Any] else { return object }
        var result = object
        for (key, propertyValue) in properties {
            guard let property = propertyValue as? [String: Any] else { continue }
            if let present = result[key] {
                if let nested = present as? [String: Any] {
                    result[key] = fill(nested, schema: property)
                }
            } else if let value = property["default"] {
                result[key] = value
            } else if property["type"] as? String == "object", property["properties"] != nil {
                let nested = fill([:], schema: property)
                if !nested.isEmpty { result[key] = nested }
            }
        }
        return result
    }
}
