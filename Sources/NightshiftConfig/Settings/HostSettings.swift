/// The `host:` section: who this host is and where it finds plugins and keeps its data.
///
/// Paths are absolute: relative ones in the file are resolved against the deployment file's directory.
public struct HostSettings: Sendable, Hashable {
    /// The host instance's name, recorded on every event (default: the machine's hostname).
    public var name: String
    /// Directories searched for plugin libraries, in order (default: the deployment file's directory).
    public var pluginDirectories: [String]
    /// Where the spool and the default SQLite store live (default: `var` next to the deployment file).
    public var dataDirectory: String
    /// How long a graceful shutdown may take before the host stops waiting.
    public var shutdownTimeout: Duration = .seconds(10)

    public init(name: String, pluginDirectories: [String], dataDirectory: String) {
        self.name = name
        self.pluginDirectories = pluginDirectories
        self.dataDirectory = dataDirectory
    }
}

/// The `events:` section: where the structured event log goes and how it is batched.
public struct EventStoreSettings: Sendable, Hashable {
    /// The store kinds.
    public enum Store: String, Sendable, Hashable, CaseIterable {
        case sqlite, postgres
    }

    /// How events are echoed to standard output.
    public enum StdoutFormat: String, Sendable, Hashable, CaseIterable {
        case json, none
    }

    /// Which store.
    public var store = Store.sqlite
    /// The SQLite database file (default: `events.sqlite` in the data directory).
    public var path: String
    /// The PostgreSQL connection string; required for `postgres`. Its password is recorded as a secret.
    public var url: String?
    /// Rows per insert batch.
    public var batchSize = 500
    /// The longest a partial batch waits before it is written.
    public var flushInterval: Duration = .milliseconds(200)
    /// The bounded queue between the event producers and the writer.
    public var queueCapacity = 65_536
    /// The standard-output echo.
    public var stdout = StdoutFormat.json

    public init(path: String) {
        self.path = path
    }
}
