/// Something that happened on a WebSocket link, in the order it happened.
///
/// A link yields `.opened` at most once, then any number of messages and pongs, then exactly one terminal event:
/// `.closed` or `.failed`. The event stream finishes right after the terminal event, once the link's service thread
/// has released every resource.
public enum WebSocketEvent: Sendable, Equatable {
    /// The opening handshake completed; messages may flow.
    case opened
    /// A complete text message, reassembled from all its fragments and validated as UTF-8.
    case text(String)
    /// A complete binary message, reassembled from all its fragments.
    case binary([UInt8])
    /// A pong arrived for one of the client's pings, at the given instant.
    case pong(ContinuousClock.Instant)
    /// The link ended after opening: a close handshake (the peer's code, or the owner's for `close()`), or `1006`
    /// when the connection dropped without one.
    case closed(code: Int, reason: String)
    /// The link could not be opened, or was torn down because the peer broke a rule (oversized message, invalid
    /// UTF-8, malformed frames).
    case failed(TransportError)
}

/// A snapshot of what a link has heard lately, for detecting half-open connections.
///
/// An owner compares `lastPongAt` (or `lastReceivedAt`) against its own clock: pings going out with no pongs coming
/// back means the far end or the path has gone silent even though TCP still looks open.
public struct WebSocketLiveness: Sendable, Equatable {
    /// Pings written so far.
    public var pingsSent: Int = 0
    /// Pongs received so far.
    public var pongsReceived: Int = 0
    /// When the latest pong arrived.
    public var lastPongAt: ContinuousClock.Instant?
    /// When the latest frame of any kind (data, pong, close) arrived.
    public var lastReceivedAt: ContinuousClock.Instant?

    public init() {}
}
