import Foundation
import NightshiftConfig
import NightshiftJSON

/// A deployment whose plugins are loaded and whose instance configs passed their plugins' schemas.
///
/// Producing one runs no plugin code beyond the entry symbols: it is what `nightshift check` prints and what
/// `nightshift run` starts.
public struct PreparedDeployment: Sendable {
    public struct Instance: Sendable {
        public var settings: InstanceSettings
        public var plugin: LoadedPlugin
        /// The validated config subtree as JSON, handed to the plugin's `create`.
        public var configJSON: String
        /// Scalars of the config by dotted path, for `config_get`.
        public var configScalars: [String: String]
    }

    public var deployment: Deployment
    public var instances: [Instance]

    /// Loads every plugin the deployment names and checks each instance's config against its plugin's schema.
    ///
    /// - Throws: `DeploymentError` listing every problem (config errors with file:line:column, refused plugins with
    ///   the file and reason), so one run shows them all.
    public static func prepare(_ deployment: Deployment) throws(DeploymentError) -> PreparedDeployment {
        var problems: [String] = []
        var instances: [Instance] = []
        var loaded: [String: LoadedPlugin] = [:]
        var deployment = deployment
        for settings in deployment.instances {
            let plugin: LoadedPlugin
            do {
                let path = try PluginLoader.resolve(
                    settings.plugin.text, in: deployment.host.pluginDirectories, base: deployment.directory)
                if let cached = loaded[path], settings.sha256 == nil {
                    plugin = cached
                } else {
                    plugin = try PluginLoader.load(path: path, sha256: settings.sha256)
                    loaded[path] = plugin
                }
            } catch {
                problems.append("\(settings.mark): error: instance '\(settings.name)': \(error)")
                continue
            }
            if let mismatch = kindProblem(settings, plugin.info, deployment) {
                problems.append("\(settings.mark): error: \(mismatch)")
                continue
            }
            do {
                let schema = try ConfigSchema.parse(json: plugin.info.configSchema, plugin: plugin.info.name)
                // Validates the subtree (every error with file:line:column) and records secret values for redaction.
                let config = try deployment.pluginConfig(for: settings.name, schema: schema)
                instances.append(Instance(
                    settings: settings, plugin: plugin, configJSON: config.jsonText, configScalars: config.value.scalars()))
            } catch {
                problems.append(contentsOf: error.errors.map { "\($0.mark.map { "\($0): " } ?? "\(settings.mark): ")instance '\(settings.name)': \($0.mark == nil ? $0.description : $0.message)" })
            }
        }
        problems += wiringProblems(instances)
        if !problems.isEmpty { throw DeploymentError(problems: problems) }
        return PreparedDeployment(deployment: deployment, instances: instances)
    }

    /// Checks what only the loaded plugins can tell: orders go to brokers, and events come from sources.
    private static func wiringProblems(_ instances: [Instance]) -> [String] {
        let kinds = Dictionary(instances.map { ($0.settings.name, $0.plugin.info.kinds) }) { first, _ in first }
        var problems: [String] = []
        for instance in instances where instance.settings.name == "host" {
            problems.append("\(instance.settings.mark): error: the instance name 'host' is reserved for the host's own events")
        }
        for instance in instances {
            let settings = instance.settings
            if let target = settings.routeTo, let targetKinds = kinds[target], !targetKinds.contains(.broker) {
                problems.append("\(settings.keyMarks["route_to"] ?? settings.mark): error: instance '\(settings.name)': route_to '\(target)' is not a broker (it is \(targetKinds.names.joined(separator: ", ")))")
            }
            for source in settings.subscribe {
                guard let sourceKinds = kinds[source] else { continue }
                if sourceKinds.isDisjoint(with: [.pollSource, .streamSource]) {
                    problems.append("\(settings.keyMarks["subscribe"] ?? settings.mark): error: instance '\(settings.name)': subscribes to '\(source)', which is not a source")
                }
            }
        }
        return problems
    }

    /// Checks that an instance's wiring fits what its plugin is.
    private static func kindProblem(_ settings: InstanceSettings, _ info: PluginInfo, _ deployment: Deployment) -> String? {
        let isSource = info.kinds.contains(.pollSource) || info.kinds.contains(.streamSource)
        if info.kinds.contains(.pollSource), settings.schedule == nil {
            return "instance '\(settings.name)': plugin \(info.name) is a poll source and needs a schedule"
        }
        if settings.routeTo != nil, !info.kinds.contains(.strategy) {
            return "instance '\(settings.name)': route_to is for strategies; plugin \(info.name) is \(info.kinds.names.joined(separator: ", "))"
        }
        if !settings.subscribe.isEmpty, isSource, !info.kinds.contains(.strategy), !info.kinds.contains(.broker) {
            return "instance '\(settings.name)': subscribe is for strategies and brokers; plugin \(info.name) is a source"
        }
        if info.kinds.contains(.strategy), let broker = settings.routeTo,
            deployment.instance(named: broker) == nil
        {
            return "instance '\(settings.name)': route_to names unknown instance '\(broker)'"
        }
        return nil
    }
}

/// Everything wrong with a deployment, one line per problem.
public struct DeploymentError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

extension PluginReference {
    /// The reference as written in YAML.
    var text: String {
        switch self {
        case .name(let name): name
        case .path(let path): path
        }
    }
}

extension JSONValue {
    /// Every scalar by dotted path (`a.b.0`), as `config_get` serves them to C plugins.
    func scalars(prefix: String = "") -> [String: String] {
        func join(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        switch self {
        case .null: return prefix.isEmpty ? [:] : [prefix: ""]
        case .bool(let value): return [prefix: value ? "true" : "false"]
        case .integer(let value): return [prefix: String(value)]
        case .number(let value): return [prefix: String(value)]
        case .string(let value): return [prefix: value]
        case .array(let items):
            return items.enumerated().reduce(into: [:]) { $0.merge($1.element.scalars(prefix: join(String($1.offset)))) { a, _ in a } }
        case .object(let members):
            return members.reduce(into: [:]) { $0.merge($1.value.scalars(prefix: join($1.key))) { a, _ in a } }
        }
    }
}
