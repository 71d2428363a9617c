import NightshiftJSON

/// A plugin instance's validated config: the JSON handed to `create()`, and scalar lookups for `config_get`.
public struct PluginConfig: Sendable, Hashable {
    /// The rendered config.
    public var value: JSONValue
    /// Values of properties the schema marks `secret`, to be added to `Deployment.secrets`.
    public var secrets: Set<String>

    public init(value: JSONValue, secrets: Set<String> = []) {
        self.value = value
        self.secrets = secrets
    }

    /// The config as compact JSON text.
    public var jsonText: String { value.jsonText }

    /// The scalar at a dotted path (`"a.b.0"`, array elements by index) as text; `nil` if the path leads nowhere or
    /// to null, an array or an object.
    public func scalar(at path: String) -> String? {
        value.value(at: path)?.scalarText
    }
}

extension Deployment {
    /// Validates and renders the `config` subtree of the instance named `instance`, adding its secrets to `secrets`.
    ///
    /// - Parameters:
    ///   - instance: The instance's name.
    ///   - schema: The schema its plugin published.
    /// - Throws: `ConfigErrors` with every violation, each at its file:line:column, or a `reference` error if no
    ///   instance has that name.
    public mutating func pluginConfig(for instance: String, schema: ConfigSchema) throws(ConfigErrors) -> PluginConfig {
        guard let index = instances.firstIndex(where: { $0.name == instance }) else {
            throw ConfigErrors([ConfigError(.reference, "no instance named '\(instance)'", at: nil)])
        }
        let config: PluginConfig
        do {
            config = try schema.render(instances[index].config, path: "instances[\(index)].config")
        } catch {
            throw ConfigErrors(ConfigLoader.redacting(error.errors, secrets: secrets))
        }
        secrets.formUnion(config.secrets)
        return config
    }
}
