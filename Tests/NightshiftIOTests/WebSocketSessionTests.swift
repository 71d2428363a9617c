import Testing

@testable import NightshiftIO

/// The link state machine: write order, close handling and the single terminal event.
struct WebSocketSessionTests {
    private func text(_ value: String) -> WebSocketSession.Outbound {
        WebSocketSession.Outbound(isBinary: false, bytes: Array(value.utf8))
    }

    @Test func holdsMessagesUntilOpenThenWritesThemInOrder() {
        var session = WebSocketSession()
        let accepted = [session.enqueue(text("a")), session.enqueue(text("b"))]
        let writeBeforeOpen = session.nextWrite()
        #expect(accepted == [true, true])
        #expect(writeBeforeOpen == nil)
        #expect(!session.hasPendingWrites)

        session.markOpened()
        #expect(session.hasPendingWrites)
        let writes = [session.nextWrite(), session.nextWrite(), session.nextWrite()]
        #expect(writes == [.message(text("a")), .message(text("b")), nil])
    }

    @Test func writesADuePingBeforeQueuedMessages() {
        var session = WebSocketSession()
        let dueWhileConnecting = session.markPingDue()
        #expect(!dueWhileConnecting)
        session.markOpened()
        _ = session.enqueue(text("a"))
        let due = session.markPingDue()
        #expect(due)
        let writes = [session.nextWrite(), session.nextWrite()]
        #expect(writes == [.ping([0, 0, 0, 0, 0, 0, 0, 1]), .message(text("a"))])
        #expect(session.liveness.pingsSent == 1)
    }

    @Test func closeWinsOverEverythingAndRefusesLaterSends() {
        var session = WebSocketSession()
        session.markOpened()
        _ = session.enqueue(text("dropped"))
        let actions = [
            session.requestClose(code: 1000, reason: "bye"), session.requestClose(code: 4000, reason: "again"),
        ]
        let lateAccepted = session.enqueue(text("late"))
        let writes = [session.nextWrite(), session.nextWrite()]
        let terminal = session.connectionEnded()

        #expect(actions == [.writeClose, .none])
        #expect(!lateAccepted)
        #expect(writes == [.close(code: 1000, reason: "bye"), nil])
        #expect(terminal == .closed(code: 1000, reason: "bye"))
    }

    @Test func closingWhileConnectingAbandonsTheAttempt() {
        var session = WebSocketSession()
        let action = session.requestClose(code: 1000, reason: "stop")
        #expect(action == .abandonConnecting)
        #expect(session.abandonsConnecting)
        let terminal = session.fail(TransportError(code: .timeout, message: "deadline"))
        let afterwards = session.connectionEnded()
        #expect(terminal == .closed(code: 1000, reason: "stop"))
        #expect(afterwards == nil)
    }

    @Test func reportsThePeersCloseOverADrop() {
        var session = WebSocketSession()
        session.markOpened()
        session.recordPeerClose(payload: [0x0F, 0xA1] + Array("gone".utf8))
        let terminal = session.connectionEnded()
        #expect(terminal == .closed(code: 4001, reason: "gone"))
    }

    @Test func reportsADropWithoutCloseFrameAs1006() {
        var session = WebSocketSession()
        session.markOpened()
        guard case .closed(let code, _) = session.connectionEnded() else {
            Issue.record("a drop after opening is a close")
            return
        }
        #expect(code == 1006)
    }

    @Test func reportsAnEndingBeforeOpeningAsAFailure() {
        var session = WebSocketSession()
        guard case .failed(let error) = session.connectionEnded() else {
            Issue.record("an ending before opening is a failure")
            return
        }
        #expect(error.code == .connect)
    }

    @Test func aViolationFailsOnceAndQueuesItsCloseFrame() {
        var session = WebSocketSession()
        session.markOpened()
        _ = session.enqueue(text("dropped"))
        let error = TransportError(code: .tooLarge, message: "too big")
        let terminal = session.failAndClose(error, closeCode: 1009)
        let lateAccepted = session.enqueue(text("late"))
        let write = session.nextWrite()
        let afterwards = session.connectionEnded()

        #expect(terminal == .failed(error))
        #expect(session.hasFailed)
        #expect(!lateAccepted)
        #expect(write == .close(code: 1009, reason: "too big"))
        #expect(afterwards == nil)
    }

    @Test func countsPongs() {
        var session = WebSocketSession()
        let now = ContinuousClock.now
        session.recordPong(at: now)
        session.recordPong(at: now)
        #expect(session.liveness.pongsReceived == 2)
        #expect(session.liveness.lastPongAt == now)
        #expect(session.liveness.lastReceivedAt == now)
    }

    @Test func parsesClosePayloads() {
        #expect(WebSocketSession.parseClosePayload([]) == (1005, ""))
        #expect(WebSocketSession.parseClosePayload([0x03]) == (1005, ""))
        #expect(WebSocketSession.parseClosePayload([0x03, 0xE8]) == (1000, ""))
        #expect(WebSocketSession.parseClosePayload([0x03, 0xE9] + Array("away".utf8)) == (1001, "away"))
    }
}
