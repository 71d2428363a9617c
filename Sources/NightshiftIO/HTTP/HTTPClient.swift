import CCurl
import Synchronization

/// A blocking HTTP/1.1 client over one reused libcurl easy handle.
///
/// The handle keeps its connection cache between requests, so consecutive requests to the same host reuse one
/// keep-alive connection. The client is a thin shell: it applies no retry, backoff or status policy; a 503 is returned
/// as a response and a refused connection as a `.failure`, and the caller decides.
///
/// Threading: `perform(_:)` blocks the calling thread for the whole exchange and holds the client's lock while it
/// does, so concurrent callers on one client are served one after another. For parallel requests, use one client
/// per concurrent caller. Call it from a thread that may block (not from a cooperative-pool task on a hot path;
/// wrap it in a dedicated thread or `Task.detached` as the owner sees fit).
///
/// TLS peer and host name verification are always on; `Configuration.caFile` adds a trust anchor file instead of
/// the system store. There is deliberately no switch to turn verification off.
public final class HTTPClient: Sendable {
    /// Options fixed for the life of a client.
    public struct Configuration: Sendable {
        /// A PEM file of CA certificates to trust instead of the system store, or nil for the system store.
        public var caFile: String?
        /// The largest response body accepted; a larger one fails with `.tooLarge` without being kept in memory.
        public var maximumResponseBytes: Int
        /// Whether to follow 3xx redirects (at most `maximumRedirects`); off by default so the caller sees them.
        public var followRedirects: Bool
        /// The most redirects followed when `followRedirects` is on.
        public var maximumRedirects: Int
        /// Whether to offer gzip/deflate/brotli and decompress transparently (the size cap applies after decoding).
        public var acceptCompressedResponses: Bool
        /// The `User-Agent` sent unless a request sets its own.
        public var userAgent: String

        public init(
            caFile: String? = nil,
            maximumResponseBytes: Int = 64 << 20,
            followRedirects: Bool = false,
            maximumRedirects: Int = 5,
            acceptCompressedResponses: Bool = true,
            userAgent: String = "nightshift"
        ) {
            self.caFile = caFile
            self.maximumResponseBytes = maximumResponseBytes
            self.followRedirects = followRedirects
            self.maximumRedirects = maximumRedirects
            self.acceptCompressedResponses = acceptCompressedResponses
            self.userAgent = userAgent
        }
    }

    /// The options this client was made with.
    public let configuration: Configuration
    private let easy: Mutex<EasyHandle>

    /// Creates a client with its own connection cache.
    public init(configuration: Configuration = Configuration()) {
        CurlGlobal.initialize()
        self.configuration = configuration
        self.easy = Mutex(EasyHandle())
    }

    /// Performs one exchange and returns the response of any status, or the transport failure.
    ///
    /// Blocks until the response is complete, the request's `timeout` passes, or the transfer fails.
    public func perform(_ request: HTTPRequest) -> HTTPResult {
        let configuration = self.configuration
        return easy.withLock { easy in
            guard let handle = easy.handle else {
                return .failure(TransportError(code: .other, message: "libcurl could not create an easy handle"))
            }
            return CurlTransfer(handle: handle, request: request, configuration: configuration).run()
        }
    }
}

/// Owner of one `CURL *`; freed with the client.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer?

    init() {
        handle = curl_easy_init()
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
    }
}

/// The process-wide `curl_global_init`, run exactly once before the first handle is made.
enum CurlGlobal {
    // A global `let` initialiser runs once, under the runtime's lock.
    private static let code: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    static func initialize() {
        _ = code
    }
}
