/// Turns libwebsockets' connection-error text into a transport error code.
///
/// libwebsockets reports why a client connection failed only as a short English string passed with
/// LWS_CALLBACK_CLIENT_CONNECTION_ERROR; this pure function maps the known phrasings onto codes.
enum LWSErrorClassifier {
    static func error(forConnectionError detail: String) -> TransportError {
        let text = detail.isEmpty ? "connection failed" : detail
        return TransportError(code: code(forConnectionError: text), message: text)
    }

    static func code(forConnectionError detail: String) -> TransportError.Code {
        let text = detail.lowercased()
        if text.contains("ssl") || text.contains("tls") || text.contains("certificate") || text.contains("x509") {
            return .tls
        }
        if text.contains("dns") || text.contains("resolve") || text.contains("getaddrinfo")
            || text.contains("nxdomain") || text.contains("lookup")
        {
            return .dns
        }
        if text.contains("timed out") || text.contains("timeout") {
            return .timeout
        }
        if text.contains("hs:") || text.contains("upgrade") || text.contains("accept") || text.contains("handshake")
            || text.contains("status")
        {
            return .protocolViolation
        }
        if text.contains("connect") || text.contains("refused") || text.contains("unreachable") {
            return .connect
        }
        return .other
    }
}
