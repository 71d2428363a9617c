import CWebSockets
import Synchronization

/// The state one link shares between its owner's threads and its service thread.
///
/// Holds the session state machine and the pointer used to wake the service thread, each behind its own lock; the
/// two locks are never held together. Events are yielded only from the service thread, which keeps them in order.
final class WebSocketCore: Sendable {
    let configuration: WebSocketClient.Configuration
    let session = Mutex(WebSocketSession())
    private let wakeTarget = Mutex<WakeTarget?>(nil)
    private let continuation: AsyncStream<WebSocketEvent>.Continuation

    init(configuration: WebSocketClient.Configuration, continuation: AsyncStream<WebSocketEvent>.Continuation) {
        self.configuration = configuration
        self.continuation = continuation
    }

    // MARK: - Owner side (any thread)

    func enqueue(_ message: WebSocketSession.Outbound) -> Bool {
        let (accepted, open) = session.withLock { session in
            (session.enqueue(message), session.phase == .open)
        }
        if accepted && open { wake() }
        return accepted
    }

    func requestClose(code: Int, reason: String) {
        let action = session.withLock { $0.requestClose(code: code, reason: reason) }
        if action != .none { wake() }
    }

    /// Interrupts the service thread's wait; it then looks at the session for work.
    private func wake() {
        // Under the lock so the context cannot be destroyed between the check and the call.
        wakeTarget.withLock { context in
            if let context { lws_cancel_service(context.context) }
        }
    }

    // MARK: - Service side (the service thread only)

    /// Publishes the live context (or nil just before it is destroyed) for `wake()`.
    func setWakeTarget(_ context: OpaquePointer?) {
        let target = context.map(WakeTarget.init)
        wakeTarget.withLock { $0 = target }
    }

    func emit(_ event: WebSocketEvent?) {
        if let event { continuation.yield(event) }
    }

    /// Delivers the terminal event if none was delivered yet, then ends the stream.
    func finishStream() {
        emit(session.withLock { $0.connectionEnded() })
        continuation.finish()
    }

    /// Ends a link that never got a service thread (a malformed URL or header).
    func finishWithoutConnecting(_ error: TransportError) {
        emit(session.withLock { $0.fail(error) })
        finishStream()
    }

    /// Checks the URL and the handshake headers before any thread is started.
    static func validate(
        url: String, headers: [(name: String, value: String)]
    ) -> Result<WebSocketTarget, TransportError> {
        guard HeaderValidation.isValid(headers) else {
            return .failure(TransportError(code: .invalidRequest, message: "a handshake header is malformed"))
        }
        return WebSocketTarget.parse(url)
    }
}

/// A libwebsockets context as seen from other threads.
///
/// Only `lws_cancel_service`, which is thread-safe, is called on it, and only while the context is published (see
/// `WebSocketCore.setWakeTarget(_:)`).
struct WakeTarget: @unchecked Sendable {
    let context: OpaquePointer
}
