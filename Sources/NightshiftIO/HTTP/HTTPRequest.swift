/// An HTTP request method; an open set of verbs.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// One HTTP request: what to send and how long it may take.
///
/// `timeout` bounds the whole exchange (connect, send, wait, receive); `connectTimeout` bounds the connect and TLS
/// phase alone. Both are deadlines for a single attempt: retrying is the caller's policy.
public struct HTTPRequest: Sendable {
    /// The verb.
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Request headers in order; a name may repeat. Names and values must not contain CR or LF.
    public var headers: [(name: String, value: String)]
    /// The request body; sent only for methods other than GET and HEAD.
    public var body: [UInt8]
    /// The deadline for the whole exchange.
    public var timeout: Duration
    /// The deadline for establishing the connection, TLS included.
    public var connectTimeout: Duration

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
