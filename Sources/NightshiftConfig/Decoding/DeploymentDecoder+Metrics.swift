import Foundation

/// Decoding of the `metrics:` section.
extension DeploymentDecoder {
    mutating func decodeMetrics(_ node: YAMLNode) -> MetricsSettings? {
        guard let reader = MappingReader(node, path: "metrics", allowed: ["enabled", "listen"], diagnostics: &diagnostics)
        else { return nil }
        var settings = MetricsSettings()
        if let flag = reader.value("enabled") {
            guard let enabled = flag.scalar?.boolValue else {
                diagnostics.report(
                    .type, "metrics.enabled: expected true or false, got \(MappingReader.describe(flag))", at: flag.mark)
                return nil
            }
            settings.enabled = enabled
        }
        if let listenNode = reader.value("listen"), let listen = reader.string("listen", &diagnostics) {
            guard let (host, port) = Self.listenAddress(listen) else {
                diagnostics.report(
                    .invalidValue,
                    "metrics.listen: expected a numeric address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or "
                        + "[::1]:9464, got \(MappingReader.quote(listenNode))",
                    at: listenNode.mark)
                return nil
            }
            settings.host = host
            settings.port = port
        }
        return settings
    }

    /// `host:port` split and checked: an IPv4 address, a bracketed IPv6 address, or `localhost` (as `127.0.0.1`),
    /// and a port from 0 to 65535. Names other than `localhost` are refused: what is bound must not depend on DNS.
    static func listenAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65_535).contains(port), text[text.index(after: colon)...].allSatisfy({ ("0"..."9").contains($0) })
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            var address = in6_addr()
            return inet_pton(AF_INET6, host, &address) == 1 ? (host, port) : nil
        }
        if host == "localhost" { return ("127.0.0.1", port) }
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1 ? (host, port) : nil
    }
}
