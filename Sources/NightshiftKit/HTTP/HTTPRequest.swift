/// An HTTP request the host performs on a plugin's behalf, under the instance's retry policy.
///
/// A `POST` is retried only when ``idempotencyKey`` is set (use the order's client order id), so a request that may
/// have reached the venue is never blindly repeated.
public struct HTTPRequest: Sendable, Hashable {
    /// `"GET"`, `"POST"`, …
    public var method: String
    /// The absolute URL.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The per-attempt timeout; `nil` means the policy's.
    public var timeout: Duration?
    /// Makes a non-idempotent request retryable.
    public var idempotencyKey: String?
    /// A short name for retry events, e.g. `"ensemble"`.
    public var label: String?

    /// Creates a request.
    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
        timeout: Duration? = nil, idempotencyKey: String? = nil, label: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.idempotencyKey = idempotencyKey
        self.label = label
    }

    /// A `GET`.
    public static func get(_ url: String, headers: [HTTPHeader] = [], label: String? = nil) -> HTTPRequest {
        HTTPRequest(url: url, headers: headers, label: label)
    }

    /// A `POST` with a text body (typically JSON).
    public static func post(
        _ url: String, body: String, headers: [HTTPHeader] = [], idempotencyKey: String? = nil, label: String? = nil
    ) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: url, headers: headers, body: Array(body.utf8), idempotencyKey: idempotencyKey,
            label: label)
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
