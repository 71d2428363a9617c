import CMicroHTTPD
import Glibc
import Synchronization

/// A tiny HTTP server for metrics and health checks: libmicrohttpd on its own polling thread, GET only.
///
/// Each route is a path (`/metrics`) and a closure that builds the whole answer; any other path is 404, any other
/// method 405 (with `Allow: GET`), and a request body is never read. libmicrohttpd parses the requests, bounds
/// connections, memory and idle time, and answers malformed ones itself, so odd input never reaches a route. The
/// routes run on the server's thread, one request at a time: they must be quick and must not block.
///
/// ```swift
/// let server = try MetricsServer(host: "127.0.0.1", port: 9464, routes: [
///     "/metrics": { .text(registry.render(), contentType: PrometheusText.contentType) },
/// ])
/// defer { server.stop() }
/// ```
public final class MetricsServer: Sendable {
    /// Builds the answer to a GET of one path.
    public typealias Route = @Sendable () -> MetricsResponse

    /// Connection limits.
    public struct Configuration: Sendable {
        /// Connections served at once; more wait in the listen backlog or are refused.
        public var connectionLimit = 16
        /// An idle connection is closed after this many seconds.
        public var idleTimeoutSeconds = 10

        public init() {}
    }

    /// The address served, `host:port` (`[host]:port` for IPv6), with the port actually bound.
    public let address: String
    /// The port actually bound (the kernel's choice when 0 was asked for).
    public let port: Int
    private let daemon: Mutex<Daemon?>
    private let router: Unmanaged<Router>

    /// Binds `host:port` and starts serving `routes` on libmicrohttpd's internal thread.
    ///
    /// - Parameter host: a numeric IPv4 address, or an IPv6 one without brackets.
    /// - Throws: `MetricsServerError` naming the address when it cannot be bound or the daemon will not start.
    public init(
        host: String, port: Int, routes: [String: Route], configuration: Configuration = Configuration()
    ) throws(MetricsServerError) {
        let socket = try ListeningSocket(host: host, port: port)
        address = host.contains(":") ? "[\(host)]:\(socket.port)" : "\(host):\(socket.port)"
        self.port = socket.port
        let router = Unmanaged.passRetained(Router(routes: routes))
        let flags = UInt32(MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_POLL.rawValue)
        let options: [CVarArg] = [
            MHD_OPTION.LISTEN_SOCKET.rawValue, socket.descriptor,
            MHD_OPTION.CONNECTION_LIMIT.rawValue, UInt32(configuration.connectionLimit),
            MHD_OPTION.CONNECTION_TIMEOUT.rawValue, UInt32(configuration.idleTimeoutSeconds),
            MHD_OPTION.END.rawValue,
        ]
        let started = withVaList(options) { arguments in
            MHD_start_daemon_va(flags, 0, nil, nil, answer, router.toOpaque(), arguments)
        }
        guard let started else {
            close(socket.descriptor)
            router.release()
            throw MetricsServerError(.daemonFailed, "libmicrohttpd did not start", address: address)
        }
        daemon = Mutex(Daemon(pointer: started))
        self.router = router
    }

    /// Stops serving: closes the listening socket and every connection, and joins the server's thread. Idempotent.
    public func stop() {
        guard let stopped = daemon.withLock({ value -> Daemon? in defer { value = nil }; return value }) else { return }
        MHD_stop_daemon(stopped.pointer)
        router.release()
    }

    deinit { stop() }
}

/// The running daemon's handle; only `stop()` touches it, under the server's lock.
private struct Daemon: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// The routes, reached from libmicrohttpd's C callback through its context pointer.
final class Router: Sendable {
    let routes: [String: MetricsServer.Route]

    init(routes: [String: MetricsServer.Route]) {
        self.routes = routes
    }

    /// The answer to `method` on `path`.
    func respond(method: String, path: String) -> MetricsResponse {
        guard let route = routes[path] else { return .text("not found\n", status: 404) }
        guard method == "GET" else { return .text("method not allowed\n", status: 405, headers: [("Allow", "GET")]) }
        return route()
    }
}

/// libmicrohttpd's access handler: answers on the first call, so no request body is ever read.
private let answer: MHD_AccessHandlerCallback = { context, connection, url, method, _, _, _, _ in
    guard let context, let connection else { return .NO }
    let router = Unmanaged<Router>.fromOpaque(context).takeUnretainedValue()
    let reply = router.respond(
        method: method.map { String(cString: $0) } ?? "", path: url.map { String(cString: $0) } ?? "")
    var body = Array(reply.body.utf8)
    let response = body.withUnsafeMutableBytes { bytes in
        MHD_create_response_from_buffer(bytes.count, bytes.baseAddress, .RESPMEM_MUST_COPY)
    }
    guard let response else { return .NO }
    defer { MHD_destroy_response(response) }
    _ = MHD_add_response_header(response, "Content-Type", reply.contentType)
    _ = MHD_add_response_header(response, "Cache-Control", "no-store")
    for (name, value) in reply.headers { _ = MHD_add_response_header(response, name, value) }
    return MHD_queue_response(connection, UInt32(reply.status), response)
}
