/// Where a stream source wants the host to connect: a WebSocket URL and handshake headers.
public struct StreamRequest: Sendable, Hashable {
    /// `ws://` or `wss://`.
    public var url: String
    public var headers: [HTTPHeader]

    public init(url: String, headers: [HTTPHeader] = []) {
        self.url = url
        self.headers = headers
    }
}
