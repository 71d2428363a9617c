/// A whole deployment: typed, validated, with paths resolved and secrets recorded.
///
/// Produced by `ConfigLoader`. Plugin subtrees stay raw `YAMLNode`s (with marks) until each plugin is loaded and its
/// schema known; `pluginConfig(for:schema:)` then validates and renders one, adding its secrets to `secrets`.
public struct Deployment: Sendable, Hashable {
    /// The deployment file as given to the loader.
    public var file: String
    /// The absolute directory relative paths in the file were resolved against.
    public var directory: String
    public var host: HostSettings
    public var events: EventStoreSettings
    /// The metrics and health endpoint; nil when the file has no `metrics:` section.
    public var metrics: MetricsSettings?
    public var defaults = PolicyDefaults()
    public var risk: RiskSettings
    /// Active/standby leadership; nil when this host runs alone and always leads.
    public var leadership: LeadershipSettings?
    /// The instances, in file order.
    public var instances: [InstanceSettings] = []
    /// Every secret value the configuration holds, for the logger to redact: values read from `${file:…}` and
    /// `${credential:…}`, sensitive-by-name environment variables, the event store password and, once rendered,
    /// plugin properties the schema marks `secret`.
    public var secrets: Set<String> = []

    public init(file: String, directory: String, host: HostSettings, events: EventStoreSettings, risk: RiskSettings) {
        self.file = file
        self.directory = directory
        self.host = host
        self.events = events
        self.risk = risk
    }

    /// The instance named `name`.
    public func instance(named name: String) -> InstanceSettings? {
        instances.first { $0.name == name }
    }
}
