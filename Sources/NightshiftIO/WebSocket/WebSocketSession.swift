/// The state of one WebSocket link, shared by the owner's threads and the service thread.
///
/// A pure state machine: the owner's calls (`enqueue`, `requestClose`) and libwebsockets' callbacks (`markOpened`,
/// `nextWrite`, `fail`, `connectionEnded`, ...) go through it under one lock, and it answers with what the shell must
/// do: whether to wake the service thread, which frame to write next, which terminal event to deliver. It guarantees
/// that exactly one terminal event is produced.
struct WebSocketSession {
    /// Where the link is in its life.
    enum Phase: Equatable {
        case connecting, open, closing, finished
    }

    /// A message queued by the owner.
    struct Outbound: Equatable {
        var isBinary: Bool
        var bytes: [UInt8]
    }

    /// The next frame the shell should write when the socket is writable.
    enum Write: Equatable {
        case close(code: Int, reason: String)
        case ping([UInt8])
        case message(Outbound)
    }

    /// What the shell must do after the owner asked to close.
    enum CloseAction: Equatable {
        /// Nothing: the link is already closing or over.
        case none
        /// Wake the service thread so it writes the close frame.
        case writeClose
        /// Wake the service thread so it abandons the connection attempt.
        case abandonConnecting
    }

    private(set) var phase: Phase = .connecting
    private(set) var liveness = WebSocketLiveness()
    private var outbound: [Outbound] = []
    private var closeRequest: (code: Int, reason: String)?
    private var peerClose: (code: Int, reason: String)?
    private var violationClose: (code: Int, reason: String)?
    private var pingDue = false
    private var pingCounter: UInt64 = 0
    private var terminated = false

    // MARK: - Owner side

    /// Queues a message; false once the link is closing or over.
    mutating func enqueue(_ message: Outbound) -> Bool {
        guard phase == .connecting || phase == .open, closeRequest == nil, !terminated else { return false }
        outbound.append(message)
        return true
    }

    /// Records the owner's wish to close; only the first request counts.
    mutating func requestClose(code: Int, reason: String) -> CloseAction {
        guard closeRequest == nil, phase == .connecting || phase == .open else { return .none }
        closeRequest = (code, reason)
        return phase == .open ? .writeClose : .abandonConnecting
    }

    /// Whether a close was asked for before the link opened.
    var abandonsConnecting: Bool {
        phase == .connecting && closeRequest != nil
    }

    // MARK: - Service side

    /// The handshake completed.
    mutating func markOpened() {
        if phase == .connecting { phase = .open }
    }

    /// The ping interval elapsed; true when a writable callback should be requested.
    mutating func markPingDue() -> Bool {
        guard phase == .open else { return false }
        pingDue = true
        return true
    }

    /// Whether anything waits to be written.
    var hasPendingWrites: Bool {
        phase == .open && (violationClose != nil || closeRequest != nil || pingDue || !outbound.isEmpty)
    }

    /// Takes the next frame to write: a close first (for a peer's violation, then the owner's), then a due ping, then
    /// queued messages in order.
    mutating func nextWrite() -> Write? {
        guard phase == .open else { return nil }
        if let violationClose {
            phase = .closing
            outbound.removeAll()
            return .close(code: violationClose.code, reason: violationClose.reason)
        }
        if let closeRequest {
            phase = .closing
            outbound.removeAll()
            return .close(code: closeRequest.code, reason: closeRequest.reason)
        }
        if pingDue {
            pingDue = false
            pingCounter += 1
            liveness.pingsSent += 1
            return .ping(withUnsafeBytes(of: pingCounter.bigEndian) { Array($0) })
        }
        guard !outbound.isEmpty else { return nil }
        return .message(outbound.removeFirst())
    }

    /// A frame of any kind arrived.
    mutating func recordReceived(at instant: ContinuousClock.Instant) {
        liveness.lastReceivedAt = instant
    }

    /// A pong arrived.
    mutating func recordPong(at instant: ContinuousClock.Instant) {
        liveness.pongsReceived += 1
        liveness.lastPongAt = instant
        liveness.lastReceivedAt = instant
    }

    /// The peer sent a close frame with this payload.
    mutating func recordPeerClose(payload: [UInt8]) {
        peerClose = Self.parseClosePayload(payload)
        if phase == .open { phase = .closing }
    }

    /// The link failed; returns the terminal event unless one was already produced.
    ///
    /// A failure while connecting after the owner asked to close is the owner's close taking effect, and is reported
    /// as that close.
    mutating func fail(_ error: TransportError) -> WebSocketEvent? {
        if let closeRequest, phase == .connecting {
            phase = .closing
            return terminate(.closed(code: closeRequest.code, reason: closeRequest.reason))
        }
        if phase != .finished { phase = .closing }
        return terminate(.failed(error))
    }

    /// The peer broke a rule on an open link; returns the terminal event unless one was already produced, and queues
    /// a close frame with `closeCode` that `nextWrite()` hands out first.
    ///
    /// libwebsockets must not be told to close from inside its receive callback (it keeps parsing the rest of the
    /// buffer), so the close goes out from the next writable callback instead.
    mutating func failAndClose(_ error: TransportError, closeCode: Int) -> WebSocketEvent? {
        if phase == .open, violationClose == nil {
            violationClose = (closeCode, error.message)
        }
        return terminate(.failed(error))
    }

    /// Whether the link already failed; received data is then ignored.
    var hasFailed: Bool {
        terminated && violationClose != nil
    }

    /// The connection is gone; returns the terminal event unless one was already produced.
    mutating func connectionEnded() -> WebSocketEvent? {
        let wasOpen = phase == .open || phase == .closing
        phase = .finished
        if let peerClose {
            return terminate(.closed(code: peerClose.code, reason: peerClose.reason))
        }
        if let closeRequest {
            return terminate(.closed(code: closeRequest.code, reason: closeRequest.reason))
        }
        if wasOpen {
            return terminate(.closed(code: 1006, reason: "connection lost without a close frame"))
        }
        return terminate(.failed(TransportError(code: .connect, message: "connection ended before it opened")))
    }

    private mutating func terminate(_ event: WebSocketEvent) -> WebSocketEvent? {
        guard !terminated else { return nil }
        terminated = true
        return event
    }

    /// The status code and reason of a close frame's payload; 1005 when the payload carries no code.
    static func parseClosePayload(_ payload: [UInt8]) -> (code: Int, reason: String) {
        guard payload.count >= 2 else { return (1005, "") }
        let code = Int(payload[0]) << 8 | Int(payload[1])
        return (code, String(decoding: payload[2...], as: UTF8.self))
    }
}
