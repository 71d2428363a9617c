/// The optional top-level `metrics:` section: the HTTP endpoint serving `/metrics`, `/healthz` and `/readyz`.
///
/// Absent, there is no server. Present, it is on unless `enabled: false`, and listens on `127.0.0.1:9464` unless
/// `listen` names another address: the loopback interface by default, so exposing metrics beyond the machine is
/// always written down. Port 0 asks the kernel for a free port (the host reports the one bound in its
/// `metrics_listening` event).
public struct MetricsSettings: Sendable, Hashable {
    /// Whether the server runs.
    public var enabled = true
    /// The numeric address to bind: IPv4 (`127.0.0.1`, `0.0.0.0`) or IPv6 without brackets (`::1`).
    public var host = "127.0.0.1"
    public var port = 9464

    public init(enabled: Bool = true, host: String = "127.0.0.1", port: Int = 9464) {
        self.enabled = enabled
        self.host = host
        self.port = port
    }

    /// `host:port`, with the IPv6 host in brackets.
    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether the address is on the loopback interface only (`127.0.0.0/8` or `::1`).
    public var isLoopback: Bool { host.hasPrefix("127.") || host == "::1" }
}
