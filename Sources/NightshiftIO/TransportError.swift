/// A failure of a transport: the request or the link did not complete.
///
/// Carries what a retry wrapper or a reconnect supervisor needs to decide (the `code`) and what an operator needs to
/// read (the `message`). Neither field ever contains a URL, a header or a body, so the error may be logged as is.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; an open set, so adding a code never breaks a `switch` with a `default`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The whole request or the connect phase ran past its deadline.
        public static let timeout = Code(rawValue: "timeout")
        /// No TCP connection could be made (refused, unreachable, reset during connect).
        public static let connect = Code(rawValue: "connect")
        /// The host name did not resolve.
        public static let dns = Code(rawValue: "dns")
        /// The TLS handshake failed, including a peer certificate that did not verify.
        public static let tls = Code(rawValue: "tls")
        /// The response or message was larger than the configured cap.
        public static let tooLarge = Code(rawValue: "too-large")
        /// The request could not be formed (bad URL, unsupported scheme, a header with a line break).
        public static let invalidRequest = Code(rawValue: "invalid-request")
        /// The peer broke the protocol (bad WebSocket handshake, invalid UTF-8 in a text message).
        public static let protocolViolation = Code(rawValue: "protocol")
        /// The connection broke while data was moving.
        public static let connectionLost = Code(rawValue: "connection-lost")
        /// Anything else; the message says what.
        public static let other = Code(rawValue: "other")

        public var description: String { rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation from the underlying library, free of secrets.
    public var message: String
    /// The underlying library's own error number (a `CURLcode` for HTTP), when there is one.
    public var underlyingCode: Int?

    public init(code: Code, message: String, underlyingCode: Int? = nil) {
        self.code = code
        self.message = message
        self.underlyingCode = underlyingCode
    }

    public var description: String {
        if let underlyingCode {
            return "\(code) (\(underlyingCode)): \(message)"
        }
        return "\(code): \(message)"
    }
}
