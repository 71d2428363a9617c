import Foundation

/// Turns an interpolated YAML tree into a `Deployment`, collecting every problem it can find in one pass.
///
/// Sections are decoded independently, so an error in `events:` does not hide one in `instances:`. Relative paths
/// are resolved against the deployment file's directory.
struct DeploymentDecoder {
    let file: String
    let directory: String
    let defaultHostName: String
    var diagnostics = Diagnostics()
    /// Secrets found while decoding (the event store's password).
    var secrets: Set<String> = []

    static let topLevelKeys = ["host", "events", "metrics", "defaults", "risk", "leadership", "instances"]

    init(file: String, directory: String, defaultHostName: String) {
        self.file = file
        self.directory = directory
        self.defaultHostName = defaultHostName
    }

    /// Decodes the whole file; the result is meaningful only if `diagnostics` stayed empty.
    mutating func decode(_ root: YAMLNode) -> Deployment {
        let host = HostSettings(
            name: defaultHostName, pluginDirectories: [directory],
            dataDirectory: PathResolver.resolve("var", against: directory))
        var deployment = Deployment(
            file: file, directory: directory, host: host,
            events: EventStoreSettings(path: PathResolver.resolve("events.sqlite", against: host.dataDirectory)),
            risk: RiskSettings(killSwitchFile: PathResolver.resolve("KILL", against: host.dataDirectory)))
        if root.isNull, root.scalar?.style == .plain, root.scalar?.text.isEmpty == true {
            diagnostics.report(.missingKey, "the deployment file is empty", at: root.mark)
            return deployment
        }
        guard let top = MappingReader(root, path: "", allowed: Self.topLevelKeys, diagnostics: &diagnostics) else {
            return deployment
        }
        if let node = top.value("host") { decodeHost(node, into: &deployment) }
        if let node = top.value("events") {
            decodeEvents(node, dataDirectory: deployment.host.dataDirectory, into: &deployment.events)
        } else {
            deployment.events.path = PathResolver.resolve("events.sqlite", against: deployment.host.dataDirectory)
        }
        if top.keyMark("metrics") != nil {
            // A bare `metrics:` turns the endpoint on with its defaults.
            deployment.metrics = top.value("metrics").map { decodeMetrics($0) } ?? MetricsSettings()
        }
        if let node = top.value("defaults") { deployment.defaults = decodeDefaults(node, path: "defaults") }
        deployment.risk.killSwitchFile = PathResolver.resolve("KILL", against: deployment.host.dataDirectory)
        if let node = top.value("risk") { decodeRisk(node, into: &deployment.risk) }
        if let node = top.value("leadership") { deployment.leadership = decodeLeadership(node, host: deployment.host) }
        if let node = top.value("instances") {
            deployment.instances = decodeInstances(node, defaults: deployment.defaults)
        }
        return deployment
    }

    // MARK: - host

    private mutating func decodeHost(_ node: YAMLNode, into deployment: inout Deployment) {
        let allowed = ["name", "plugin_dirs", "data_dir", "shutdown_timeout"]
        guard let host = MappingReader(node, path: "host", allowed: allowed, diagnostics: &diagnostics) else { return }
        if let name = host.string("name", &diagnostics) {
            if name.isEmpty {
                diagnostics.report(.invalidValue, "host.name: must not be empty", at: host.value("name")?.mark)
            } else {
                deployment.host.name = name
            }
        }
        if let directories = host.stringList("plugin_dirs", &diagnostics) {
            deployment.host.pluginDirectories = directories.map { PathResolver.resolve($0.text, against: directory) }
        }
        if let dataDirectory = host.string("data_dir", &diagnostics) {
            deployment.host.dataDirectory = PathResolver.resolve(dataDirectory, against: directory)
        }
        if let timeout = host.duration("shutdown_timeout", &diagnostics) { deployment.host.shutdownTimeout = timeout }
    }

    // MARK: - events

    private mutating func decodeEvents(_ node: YAMLNode, dataDirectory: String, into events: inout EventStoreSettings) {
        let allowed = ["store", "path", "url", "batch_size", "flush_interval", "queue_capacity", "stdout"]
        guard let reader = MappingReader(node, path: "events", allowed: allowed, diagnostics: &diagnostics) else {
            return
        }
        if let store: EventStoreSettings.Store = reader.choice("store", &diagnostics) { events.store = store }
        let path = reader.string("path", &diagnostics) ?? "events.sqlite"
        events.path = PathResolver.resolve(path, against: reader.value("path") == nil ? dataDirectory : directory)
        if let url = reader.string("url", &diagnostics) {
            if Self.isConnectionString(url) {
                events.url = url
                secrets.formUnion(Self.passwords(in: url))
            } else {
                diagnostics.report(
                    .invalidValue,
                    "events.url: expected a PostgreSQL connection string (postgres://… or key=value pairs)",
                    at: reader.value("url")?.mark)
            }
        }
        if events.store == .postgres, reader.value("url") == nil {
            diagnostics.report(.missingKey, "events: store 'postgres' needs a 'url'", at: node.mark)
        }
        if let size = reader.integer("batch_size", in: 1...100_000, &diagnostics) { events.batchSize = size }
        if let interval = reader.duration("flush_interval", &diagnostics) { events.flushInterval = interval }
        if let capacity = reader.integer("queue_capacity", in: 1...100_000_000, &diagnostics) {
            events.queueCapacity = capacity
        }
        if let format: EventStoreSettings.StdoutFormat = reader.choice("stdout", &diagnostics) {
            events.stdout = format
        }
    }

    static func isConnectionString(_ url: String) -> Bool {
        url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || (url.contains("=") && !url.contains("://"))
    }

    /// The password of a `postgres://user:password@host/db` URL (raw and percent-decoded) or of a `password=`
    /// keyword or query parameter.
    static func passwords(in url: String) -> Set<String> {
        var found: Set<String> = []
        if let scheme = url.range(of: "://") {
            let afterScheme = url[scheme.upperBound...]
            let authority = afterScheme.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let password = String(authority[authority.index(after: colon)..<at])
                found.insert(password)
                if let decoded = password.removingPercentEncoding { found.insert(decoded) }
            }
        }
        if let keyword = url.range(of: "password=") {
            let value = url[keyword.upperBound...].prefix { $0 != " " && $0 != "&" }
            found.insert(String(value))
            if let decoded = String(value).removingPercentEncoding { found.insert(decoded) }
        }
        return found.filter { !$0.isEmpty }
    }
}
