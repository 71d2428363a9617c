/// One entry of `instances:`: a plugin, its wiring, its policies and its own config subtree.
public struct InstanceSettings: Sendable, Hashable {
    /// The unique instance name.
    public var name: String
    /// Which plugin library to load.
    public var plugin: PluginReference
    /// The expected SHA-256 of the library (lowercase hex), if pinned.
    public var sha256: String?
    /// When a poll source runs, if it is one.
    public var schedule: Schedule?
    /// The source instances whose events this instance receives.
    public var subscribe: [String] = []
    /// The broker instance this strategy's orders go to.
    public var routeTo: String?
    /// The retry policy: the defaults with this instance's overrides merged in.
    public var retry: RetrySettings
    /// The reconnect policy, merged likewise.
    public var reconnect: ReconnectSettings
    /// The restart intensity, merged likewise.
    public var restart: RestartSettings
    /// The per-call deadline.
    public var callDeadline: Duration
    /// The plugin's own `config:` subtree, interpolated but not yet validated (an empty mapping when absent).
    ///
    /// The plugin's schema is known only once it is loaded; validate with `ConfigSchema.validate(_:)` and render
    /// with `Deployment.pluginConfig(for:schema:)`.
    public var config: YAMLNode
    /// Where the instance's entry starts.
    public var mark: Mark
    /// Where each of the instance's keys is written, for errors found later (e.g. a schedule on a non-poll plugin).
    public var keyMarks: [String: Mark] = [:]

    public init(name: String, plugin: PluginReference, defaults: PolicyDefaults, config: YAMLNode, mark: Mark) {
        self.name = name
        self.plugin = plugin
        self.retry = defaults.retry
        self.reconnect = defaults.reconnect
        self.restart = defaults.restart
        self.callDeadline = defaults.callDeadline
        self.config = config
        self.mark = mark
    }
}

/// How a poll source is scheduled.
public enum Schedule: Sendable, Hashable {
    /// Every fixed interval.
    case every(Duration)
    /// At the given UTC hours (0–23), each delayed by `lag` (e.g. a model run published hours after its nominal time).
    case atHoursUTC([Int], lag: Duration)
}

/// A plugin as written in `plugin:`: a name searched in the plugin directories, or a path.
public enum PluginReference: Sendable, Hashable {
    /// A bare name, resolved as `lib<name>.so` or `<name>.so` in each plugin directory.
    case name(String)
    /// A path (the value contained a `/`), made absolute against the deployment file's directory.
    case path(String)

    /// The files to try, in order.
    public func candidates(in directories: [String]) -> [String] {
        switch self {
        case .path(let path):
            return [path]
        case .name(let name):
            return directories.flatMap { directory in
                ["\(directory)/lib\(name).so", "\(directory)/\(name).so"]
            }
        }
    }
}
