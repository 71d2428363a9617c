import Foundation

/// The parts of a `ws://` or `wss://` URL that libwebsockets needs to connect.
struct WebSocketTarget: Equatable {
    var isSecure: Bool
    var host: String
    var port: Int
    /// The request target: path plus query, at least "/".
    var path: String

    /// The `Host` header value: the host, with the port when it is not the scheme's default.
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? bracketed : "\(bracketed):\(port)"
    }

    /// Parses a URL; returns an `.invalidRequest` error for anything but an absolute ws/wss URL with a host.
    static func parse(_ url: String) -> Result<WebSocketTarget, TransportError> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "ws" || scheme == "wss", let host = components.host, !host.isEmpty
        else {
            return .failure(TransportError(code: .invalidRequest, message: "not an absolute ws:// or wss:// URL"))
        }
        let isSecure = scheme == "wss"
        let port = components.port ?? (isSecure ? 443 : 80)
        guard (1...65535).contains(port) else {
            return .failure(TransportError(code: .invalidRequest, message: "port out of range"))
        }
        var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        if let query = components.percentEncodedQuery {
            path += "?" + query
        }
        return .success(WebSocketTarget(isSecure: isSecure, host: host, port: port, path: path))
    }
}
