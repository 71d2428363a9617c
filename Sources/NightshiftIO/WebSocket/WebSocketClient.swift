import CWebSockets
import Foundation
import Synchronization

/// One WebSocket link over libwebsockets, with its own service thread.
///
/// `connect(to:headers:configuration:)` starts a dedicated thread that owns a libwebsockets context, opens the link,
/// pings at the configured interval and delivers everything it hears through `events`. The client is a thin shell: it
/// never reconnects or retries; a reconnect supervisor builds a new client when the stream ends.
///
/// Threading: libwebsockets runs only on the service thread. `send(text:)`, `send(binary:)`, `close(code:reason:)`
/// and `liveness` may be called from any thread: they queue work under a lock and wake the service thread with
/// `lws_cancel_service`, which writes the frames when the socket is writable. Events are yielded from the service
/// thread into an unbounded `AsyncStream` in the order they happened; the stream finishes after the terminal event,
/// once the thread has destroyed its context. The link stays up while the client or its `events` stream is referenced;
/// once the stream is dropped or the task iterating it is cancelled, the link closes with 1001 (going away).
public final class WebSocketClient: Sendable {
    /// Options for one link.
    public struct Configuration: Sendable {
        /// A PEM file of CA certificates to trust for `wss://` instead of the system store. Peer certificate and host
        /// name verification are always on; there is deliberately no switch to turn them off.
        public var caFile: String?
        /// How long the TCP connect, TLS and opening handshake may take together.
        public var connectTimeout: Duration
        /// How often to send a ping once open; nil sends none.
        public var pingInterval: Duration?
        /// The largest message accepted; a larger one closes the link with 1009 and fails it with `.tooLarge`.
        public var maximumMessageBytes: Int

        public init(
            caFile: String? = nil,
            connectTimeout: Duration = .seconds(10),
            pingInterval: Duration? = .seconds(10),
            maximumMessageBytes: Int = 16 << 20
        ) {
            self.caFile = caFile
            self.connectTimeout = connectTimeout
            self.pingInterval = pingInterval
            self.maximumMessageBytes = maximumMessageBytes
        }
    }

    /// Everything that happens on the link, ending with exactly one `.closed` or `.failed`.
    public let events: AsyncStream<WebSocketEvent>
    private let core: WebSocketCore

    private init(events: AsyncStream<WebSocketEvent>, core: WebSocketCore) {
        self.events = events
        self.core = core
    }

    /// Starts connecting to `url` and returns at once; the outcome arrives as `.opened` or `.failed` on `events`.
    ///
    /// - Parameters:
    ///   - url: an absolute `ws://` or `wss://` URL.
    ///   - headers: extra headers for the opening handshake (for example an API key); never logged.
    ///   - configuration: timeouts, pings, size cap and trust anchors.
    public static func connect(
        to url: String,
        headers: [(name: String, value: String)] = [],
        configuration: Configuration = Configuration()
    ) -> WebSocketClient {
        let (events, continuation) = AsyncStream.makeStream(of: WebSocketEvent.self)
        let core = WebSocketCore(configuration: configuration, continuation: continuation)
        continuation.onTermination = { [weak core] _ in
            core?.requestClose(code: 1001, reason: "going away")
        }
        let client = WebSocketClient(events: events, core: core)
        switch WebSocketCore.validate(url: url, headers: headers) {
        case .failure(let error):
            core.finishWithoutConnecting(error)
        case .success(let target):
            let thread = Thread {
                LWSConnection(core: core, target: target, headers: headers).run()
            }
            thread.name = "nightshift-websocket"
            thread.start()
        }
        return client
    }

    /// Queues a text message; false when the link is closing or over (the message is dropped).
    @discardableResult
    public func send(text: String) -> Bool {
        core.enqueue(WebSocketSession.Outbound(isBinary: false, bytes: Array(text.utf8)))
    }

    /// Queues a binary message; false when the link is closing or over (the message is dropped).
    @discardableResult
    public func send(binary: [UInt8]) -> Bool {
        core.enqueue(WebSocketSession.Outbound(isBinary: true, bytes: binary))
    }

    /// Starts the closing handshake with `code` and `reason` (at most 123 bytes are sent); later calls do nothing.
    ///
    /// Before the link opens, this abandons the connection attempt instead. The stream then ends with
    /// `.closed(code:reason:)`.
    public func close(code: Int = 1000, reason: String = "") {
        core.requestClose(code: code, reason: reason)
    }

    /// What the link has heard lately: pings sent, pongs received, the time of the latest pong and frame.
    public var liveness: WebSocketLiveness {
        core.session.withLock { $0.liveness }
    }
}
