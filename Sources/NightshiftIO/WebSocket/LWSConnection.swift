import CWebSockets
import CWebSocketsHelpers
import Glibc

/// The service-thread side of one link: owns the libwebsockets context and runs its service loop.
///
/// Created and used only on the link's own thread; libwebsockets reaches it from its callbacks through the context's
/// user pointer, which stays valid for exactly the span of `run()`.
final class LWSConnection {
    let core: WebSocketCore
    let target: WebSocketTarget
    let headers: [(name: String, value: String)]
    var assembler: WebSocketMessageAssembler
    /// Set once the client connection has closed or failed; ends the service loop (see `markFinished()`).
    private(set) var finished = false
    /// libwebsockets keeps the live client wsi here and sets it to nil when the wsi is destroyed.
    let clientSlot = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
    /// The live context, for scheduling; nil before creation and after destruction.
    var context: OpaquePointer?
    /// The connect deadline, then the ping interval.
    private(set) lazy var timer = LWSTimer(owner: self)
    private var cStrings: [UnsafeMutablePointer<CChar>] = []

    init(core: WebSocketCore, target: WebSocketTarget, headers: [(name: String, value: String)]) {
        self.core = core
        self.target = target
        self.headers = headers
        self.assembler = WebSocketMessageAssembler(maximumBytes: core.configuration.maximumMessageBytes)
        clientSlot.initialize(to: nil)
    }

    deinit {
        clientSlot.deallocate()
        cStrings.forEach { free($0) }
    }

    /// Creates the context, connects, services until the link ends, destroys the context, ends the event stream.
    func run() {
        LWSLogging.silence()
        let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2)
        defer { protocols.deallocate() }
        protocols[0].name = UnsafePointer(keep("nightshift-client"))
        protocols[0].callback = lwsCallback
        protocols[0].rx_buffer_size = 64 * 1024

        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(protocols)
        // Without this option libwebsockets builds no TLS client context and wss:// cannot work. With OpenSSL 3 the
        // initialisation it triggers is idempotent and its clean-up calls are no-ops, so any number of contexts and
        // libcurl share the library safely. A plain ws:// link goes without: the TLS client context parses the whole
        // system CA bundle (about 220,000 allocations, 7.8 MB) for every context, that is for every reconnect.
        info.options = target.isSecure ? UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) : 0
        info.gid = -1
        info.uid = -1
        info.user = Unmanaged.passUnretained(self).toOpaque()
        // The default sizes tables by the process fd limit; one link needs a handful of descriptors.
        info.fd_limit_per_thread = 16
        // The link's own timer enforces the connect deadline; libwebsockets' coarser timeouts are set past it so the
        // failure always reads as `.timeout`.
        let deadlineSeconds = Self.wholeSecondsRoundedUp(core.configuration.connectTimeout) + 1
        info.connect_timeout_secs = UInt32(clamping: deadlineSeconds)
        info.timeout_secs = UInt32(clamping: max(20, deadlineSeconds))
        if let caFile = core.configuration.caFile {
            info.client_ssl_ca_filepath = UnsafePointer(keep(caFile))
        }
        guard let context = lws_create_context(&info) else {
            core.emit(core.session.withLock {
                $0.fail(TransportError(code: .other, message: "libwebsockets could not create a context"))
            })
            core.finishStream()
            return
        }
        self.context = context
        core.setWakeTarget(context)
        connect(context: context)
        // A close() that raced the context's creation found nothing to wake; look once now.
        if core.session.withLock({ $0.abandonsConnecting }) {
            timer.schedule(on: context, after: .zero)
        }
        while !finished, clientSlot.pointee != nil {
            _ = lws_service(context, 0)
        }
        core.setWakeTarget(nil)
        timer.cancel()
        self.context = nil
        lws_context_destroy(context)
        core.finishStream()
    }

    private func connect(context: OpaquePointer) {
        var connectInfo = lws_client_connect_info()
        connectInfo.context = context
        connectInfo.address = UnsafePointer(keep(target.host))
        connectInfo.port = Int32(target.port)
        connectInfo.path = UnsafePointer(keep(target.path))
        connectInfo.host = UnsafePointer(keep(target.hostHeader))
        connectInfo.origin = UnsafePointer(keep(target.hostHeader))
        connectInfo.ietf_version_or_minus_one = -1
        // Verification stays on: neither LCCSCF_ALLOW_SELFSIGNED nor LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK is set.
        connectInfo.ssl_connection = target.isSecure ? Int32(LCCSCF_USE_SSL.rawValue) : 0
        connectInfo.pwsi = clientSlot
        if lws_client_connect_via_info(&connectInfo) != nil {
            // The connect deadline; on expiry the timer fails the link unless it opened.
            timer.schedule(on: context, after: core.configuration.connectTimeout)
        }
    }

    /// Ends the service loop once the current round is over.
    ///
    /// The wake matters when the ending came from the scheduler: lws runs scheduled work before it polls, and with no
    /// socket left the poll would otherwise wait forever.
    func markFinished() {
        finished = true
        if let context { lws_cancel_service(context) }
    }

    /// A C copy of `text` that lives as long as this connection.
    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        cStrings.append(copy)
        return copy
    }

    // MARK: - Time conversions

    static func microseconds(_ duration: Duration) -> lws_usec_t {
        let (seconds, attoseconds) = duration.components
        return max(0, lws_usec_t(seconds) &* 1_000_000 &+ lws_usec_t(attoseconds / 1_000_000_000_000))
    }

    static func wholeSecondsRoundedUp(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}

/// The one protocol callback: finds the connection through the context's user pointer and dispatches.
private let lwsCallback: @convention(c) (
    OpaquePointer?, lws_callback_reasons, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int
) -> Int32 = { wsi, reason, _, input, length in
    guard let wsi, let context = lws_get_context(wsi), let user = lws_context_user(context) else { return 0 }
    let connection = Unmanaged<LWSConnection>.fromOpaque(user).takeUnretainedValue()
    return connection.handle(reason, wsi: wsi, input: input, length: length)
}

/// libwebsockets' process-wide log level, set once: the link reports its failures as events instead.
enum LWSLogging {
    private static let silenced: Void = lws_set_log_level(0, nil)

    static func silence() {
        _ = silenced
    }
}
