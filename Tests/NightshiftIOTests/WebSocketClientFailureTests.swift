import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// Peer misbehaviour, silence and connection failures: each ends the link with one terminal event, never a crash.
@Suite(.serialized)
struct WebSocketClientFailureTests {
    private func connect(
        _ peer: ScriptProcess, _ path: String,
        configuration: WebSocketClient.Configuration = .init(pingInterval: nil)
    ) -> (WebSocketClient, EventLog) {
        let client = WebSocketClient.connect(to: "ws://127.0.0.1:\(peer.port)\(path)", configuration: configuration)
        return (client, EventLog(client.events))
    }

    @Test func reportsAnAbruptDropAs1006() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/drop?after=3")
            #expect(await log.waitForEnd())
            #expect(log.texts == ["msg-0", "msg-1", "msg-2"])
            #expect(log.terminal == .closed(code: 1006, reason: "connection lost without a close frame"))
            #expect(client.send(text: "after the drop") == false)
        }
    }

    @Test func reportsThePeersCloseCodeAndReason() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (_, log) = connect(peer, "/close-immediately?code=4001&reason=gone")
            #expect(await log.waitForEnd())
            #expect(log.events == [.opened, .closed(code: 4001, reason: "gone")])
        }
    }

    @Test func countsPongsFromAnAnsweringPeer() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/echo", configuration: .init(pingInterval: .milliseconds(50)))
            #expect(await log.wait { $0.filter { if case .pong = $0 { true } else { false } }.count >= 3 })
            let liveness = client.liveness
            #expect(liveness.pongsReceived >= 3)
            #expect(liveness.pingsSent >= liveness.pongsReceived)
            #expect(liveness.lastPongAt != nil)
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func detectsASilentPeerByMissingPongs() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/silent", configuration: .init(pingInterval: .milliseconds(50)))
            #expect(await log.wait { _ in client.liveness.pingsSent >= 5 })
            let liveness = client.liveness
            #expect(liveness.pongsReceived == 0)
            #expect(liveness.lastPongAt == nil)
            #expect(!log.events.contains { if case .pong = $0 { true } else { false } })
            client.close(code: 4000, reason: "no pong")
            peer.stop()
            #expect(await log.waitForEnd())
            #expect(log.terminal == .closed(code: 4000, reason: "no pong"))
        }
    }

    @Test func failsAMessageOverTheCap() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let configuration = WebSocketClient.Configuration(pingInterval: nil, maximumMessageBytes: 1 << 20)
            let (_, log) = connect(peer, "/huge?bytes=3000000", configuration: configuration)
            #expect(await log.waitForEnd())
            #expect(log.texts.isEmpty)
            guard case .failed(let error) = log.terminal else {
                Issue.record("an oversized message must fail the link, got \(log.events)")
                return
            }
            #expect(error.code == .tooLarge)
        }
    }

    @Test func failsOnInvalidUTF8() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (_, log) = connect(peer, "/invalid-utf8")
            #expect(await log.waitForEnd())
            guard case .failed(let error) = log.terminal else {
                Issue.record("invalid UTF-8 must fail the link, got \(log.events)")
                return
            }
            #expect(error.code == .protocolViolation)
        }
    }

    @Test func survivesGarbageBytes() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (_, log) = connect(peer, "/garbage")
            #expect(await log.waitForEnd())
            #expect(log.events.first == .opened)
            #expect(log.texts.isEmpty)
            // libwebsockets drops a link whose bytes are not frames without saying why: to the owner it is a drop.
            #expect(log.terminal == .closed(code: 1006, reason: "connection lost without a close frame"))
        }
    }

    @Test func timesOutAHandshakeThatNeverAnswers() async throws {
        try await withScript("peers/ws_peer.py", arguments: ["--blackhole"]) { peer in
            let configuration = WebSocketClient.Configuration(connectTimeout: .milliseconds(300), pingInterval: nil)
            let (_, log) = connect(peer, "/echo", configuration: configuration)
            #expect(await log.waitForEnd())
            #expect(log.events.count == 1)
            guard case .failed(let error) = log.terminal else {
                Issue.record("a silent handshake must fail, got \(log.events)")
                return
            }
            #expect(error.code == .timeout)
        }
    }

    @Test func abandonsAConnectionAttemptWhenClosed() async throws {
        try await withScript("peers/ws_peer.py", arguments: ["--blackhole"]) { peer in
            let (client, log) = connect(peer, "/echo")
            client.close(code: 1000, reason: "never mind")
            #expect(await log.waitForEnd())
            #expect(log.events == [.closed(code: 1000, reason: "never mind")])
        }
    }

    @Test func reportsARefusedConnection() async throws {
        let peer = try ScriptProcess.start("peers/ws_peer.py")
        peer.stop()
        let (_, log) = connect(peer, "/echo")
        #expect(await log.waitForEnd())
        guard case .failed(let error) = log.terminal else {
            Issue.record("a closed port must fail, got \(log.events)")
            return
        }
        #expect(error.code == .connect)
    }

    @Test(arguments: ["http://127.0.0.1:1/", "not a url", "ws://"])
    func refusesAMalformedURL(url: String) async {
        let client = WebSocketClient.connect(to: url)
        let log = EventLog(client.events)
        #expect(await log.waitForEnd())
        #expect(log.events.count == 1)
        guard case .failed(let error) = log.terminal else {
            Issue.record("\(url) must be refused")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func refusesAHeaderWithALineBreak() async {
        let client = WebSocketClient.connect(to: "ws://127.0.0.1:1/", headers: [(name: "X-A", value: "1\r\nX-B: 2")])
        let log = EventLog(client.events)
        #expect(await log.waitForEnd())
        guard case .failed(let error) = log.terminal else {
            Issue.record("a header with a line break must be refused")
            return
        }
        #expect(error.code == .invalidRequest)
    }
}
