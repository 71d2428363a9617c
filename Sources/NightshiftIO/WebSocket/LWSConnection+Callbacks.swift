import CWebSockets
import CWebSocketsHelpers

extension LWSConnection {
    /// Answers one libwebsockets callback; a non-zero return closes the wsi.
    func handle(
        _ reason: lws_callback_reasons, wsi: OpaquePointer, input: UnsafeMutableRawPointer?, length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            return appendHandshakeHeaders(wsi: wsi, input: input, length: length)
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            return established(wsi: wsi)
        case LWS_CALLBACK_CLIENT_RECEIVE:
            return receive(wsi: wsi, chunk: UnsafeRawBufferPointer(start: input, count: input == nil ? 0 : length))
        case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
            core.emit(core.session.withLock { session in
                let now = ContinuousClock.now
                session.recordPong(at: now)
                return WebSocketEvent.pong(now)
            })
            return 0
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return writeable(wsi: wsi)
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            let payload = input.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
            core.session.withLock { session in
                session.recordReceived(at: .now)
                session.recordPeerClose(payload: payload)
            }
            return 0
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            let detail = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? ""
            let error = LWSErrorClassifier.error(forConnectionError: detail)
            core.emit(core.session.withLock { $0.fail(error) })
            markFinished()
            return 0
        case LWS_CALLBACK_CLIENT_CLOSED:
            markFinished()
            return 0
        case LWS_CALLBACK_WSI_DESTROY:
            // The one report every ending gets, including a kill before the handshake finished.
            if wsi == clientSlot.pointee { markFinished() }
            return 0
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            return wakeUp()
        default:
            return 0
        }
    }

    // MARK: - Opening

    private func appendHandshakeHeaders(wsi: OpaquePointer, input: UnsafeMutableRawPointer?, length: Int) -> Int32 {
        guard let input, !headers.isEmpty else { return 0 }
        let cursor = input.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        guard let start = cursor.pointee else { return -1 }
        let end = start + length
        for header in headers {
            let added = (header.name + ":").withCString { name in
                header.value.withCString { value in
                    lws_add_http_header_by_name(
                        wsi, UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self),
                        UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self),
                        Int32(header.value.utf8.count), cursor, end)
                }
            }
            if added != 0 {
                core.emit(core.session.withLock {
                    $0.fail(TransportError(code: .invalidRequest, message: "handshake headers do not fit"))
                })
                return -1
            }
        }
        return 0
    }

    private func established(wsi: OpaquePointer) -> Int32 {
        let pending = core.session.withLock { session in
            session.markOpened()
            return session.hasPendingWrites
        }
        core.emit(.opened)
        // Replaces the connect deadline: from now on the timer paces pings, or stays off.
        timer.cancel()
        schedulePing()
        if pending { _ = lws_callback_on_writable(wsi) }
        return 0
    }

    // MARK: - Receiving

    private func receive(wsi: OpaquePointer, chunk: UnsafeRawBufferPointer) -> Int32 {
        let failed = core.session.withLock { session in
            session.recordReceived(at: .now)
            return session.hasFailed
        }
        // After a violation the rest of the data is dropped while the close frame goes out.
        guard !failed else { return 0 }
        let outcome = assembler.append(
            chunk, isFinal: lws_is_final_fragment(wsi) != 0, isBinary: lws_frame_is_binary(wsi) != 0)
        switch outcome {
        case .incomplete:
            return 0
        case .text(let text):
            core.emit(.text(text))
            return 0
        case .binary(let bytes):
            core.emit(.binary(bytes))
            return 0
        case .tooLarge:
            let limit = core.configuration.maximumMessageBytes
            return failAndClose(
                wsi: wsi, status: LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
                error: TransportError(code: .tooLarge, message: "a message exceeds the cap of \(limit) bytes"))
        case .invalidText:
            return failAndClose(
                wsi: wsi, status: LWS_CLOSE_STATUS_INVALID_PAYLOAD,
                error: TransportError(code: .protocolViolation, message: "a text message is not valid UTF-8"))
        }
    }

    /// Fails the link and asks for a writable callback that sends the close frame with `status`.
    ///
    /// Returns 0: returning non-zero from a receive callback makes libwebsockets 4.1 keep parsing the rest of its
    /// buffer into a receive buffer it no longer drains.
    private func failAndClose(wsi: OpaquePointer, status: lws_close_status, error: TransportError) -> Int32 {
        core.emit(core.session.withLock { $0.failAndClose(error, closeCode: Int(status.rawValue)) })
        _ = lws_callback_on_writable(wsi)
        return 0
    }

    // MARK: - Writing and timers

    private func writeable(wsi: OpaquePointer) -> Int32 {
        let (next, more) = core.session.withLock { session in
            (session.nextWrite(), session.hasPendingWrites)
        }
        switch next {
        case nil:
            return 0
        case .close(let code, let reason):
            var bytes = Self.closeReasonBytes(reason)
            lws_close_reason(wsi, lws_close_status(rawValue: UInt32(clamping: code)), &bytes, bytes.count)
            return -1
        case .ping(let payload):
            guard write(payload, as: LWS_WRITE_PING, on: wsi) else { return writeFailed() }
        case .message(let message):
            guard write(message.bytes, as: message.isBinary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT, on: wsi) else {
                return writeFailed()
            }
        }
        if more { _ = lws_callback_on_writable(wsi) }
        return 0
    }

    private func writeFailed() -> Int32 {
        core.emit(core.session.withLock {
            $0.fail(TransportError(code: .connectionLost, message: "writing a frame failed"))
        })
        return -1
    }

    /// Writes one frame; libwebsockets buffers any part the socket does not take at once.
    private func write(_ payload: [UInt8], as kind: lws_write_protocol, on wsi: OpaquePointer) -> Bool {
        let pre = ns_lws_pre()
        var buffer = [UInt8](repeating: 0, count: pre + payload.count)
        buffer.replaceSubrange(pre..., with: payload)
        let written = buffer.withUnsafeMutableBufferPointer {
            lws_write(wsi, $0.baseAddress! + pre, payload.count, kind)
        }
        return written >= payload.count
    }

    /// Another thread queued work: ask for a writable callback, or abandon a connection attempt the owner closed.
    ///
    /// Arrives on the vhost's own wsi, not the client's, so the client is taken from `clientSlot`.
    private func wakeUp() -> Int32 {
        guard let client = clientSlot.pointee else { return 0 }
        let (pending, abandon) = core.session.withLock { ($0.hasPendingWrites, $0.abandonsConnecting) }
        if abandon, let context {
            // The timer callback does the closing, outside any callback of the client wsi.
            timer.schedule(on: context, after: .zero)
        } else if pending {
            _ = lws_callback_on_writable(client)
        }
        return 0
    }

    /// A close reason cut to the 123 bytes a close frame can carry, on a character boundary.
    static func closeReasonBytes(_ reason: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in reason {
            let next = Array(character.utf8)
            guard bytes.count + next.count <= 123 else { break }
            bytes += next
        }
        return bytes
    }
}
