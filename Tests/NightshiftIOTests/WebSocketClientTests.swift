import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// The WebSocket client against a real WebSocket peer on 127.0.0.1.
@Suite(.serialized)
struct WebSocketClientTests {
    private func connect(
        _ peer: ScriptProcess, _ path: String, headers: [(name: String, value: String)] = [],
        configuration: WebSocketClient.Configuration = .init(pingInterval: nil)
    ) -> (WebSocketClient, EventLog) {
        let client = WebSocketClient.connect(
            to: "ws://127.0.0.1:\(peer.port)\(path)", headers: headers, configuration: configuration)
        return (client, EventLog(client.events))
    }

    @Test func echoesTextAndClosesCleanly() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/echo")
            #expect(await log.wait { $0.contains(.opened) })
            #expect(client.send(text: "hello"))
            #expect(client.send(text: "wörld ✓"))
            #expect(await log.wait { $0.count >= 3 })
            #expect(log.texts == ["hello", "wörld ✓"])
            client.close(code: 1000, reason: "done")
            #expect(await log.waitForEnd())
            #expect(log.events.first == .opened)
            #expect(log.terminal == .closed(code: 1000, reason: "done"))
            #expect(client.send(text: "too late") == false)
        }
    }

    @Test func deliversABurstInOrder() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/burst?n=500")
            #expect(await log.wait { $0.count >= 501 })
            #expect(log.texts == (0..<500).map { "msg-\($0)" })
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func reassemblesAFragmentedMessage() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/fragmented")
            #expect(await log.wait { $0.count >= 3 })
            #expect(log.texts == ["fragmented message ✓", "after"])
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func reassemblesAFrameLargerThanTheReceiveBuffer() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/huge?bytes=2000000")
            #expect(await log.wait { $0.count >= 2 })
            #expect(log.texts.map(\.utf8.count) == [2_000_000])
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func sendsHandshakeHeaders() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/headers", headers: [(name: "X-Api-Key", value: "key-123")])
            #expect(await log.wait { $0.count >= 2 })
            #expect(log.texts.first?.contains(#""x-api-key": "key-123""#) == true)
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func carriesBinaryMessages() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/binary")
            #expect(await log.wait { $0.contains(.binary([0, 1, 2, 255])) })
            #expect(client.send(binary: [9, 8, 7]))
            #expect(await log.wait { $0.contains(.binary([9, 8, 7])) })
            client.close()
            #expect(await log.waitForEnd())
        }
    }

    @Test func acceptsSendsFromManyThreads() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let (client, log) = connect(peer, "/echo")
            #expect(await log.wait { $0.contains(.opened) })
            await withTaskGroup(of: Void.self) { group in
                for sender in 0..<4 {
                    group.addTask {
                        for index in 0..<50 { client.send(text: "\(sender)-\(index)") }
                    }
                }
            }
            #expect(await log.wait { $0.count >= 201 })
            let expected = Set((0..<4).flatMap { sender in (0..<50).map { "\(sender)-\($0)" } })
            #expect(log.texts.count == 200)
            #expect(Set(log.texts) == expected)
            for sender in 0..<4 {
                let own = log.texts.filter { $0.hasPrefix("\(sender)-") }
                #expect(own == (0..<50).map { "\(sender)-\($0)" })
            }
            client.close()
            #expect(await log.waitForEnd())
        }
    }
}

/// Ownership: a link whose events nobody consumes any more closes itself.
struct WebSocketClientOwnershipTests {
    @Test func closesWhenTheConsumingTaskIsCancelled() async throws {
        try await withScript("peers/ws_peer.py") { peer in
            let client = WebSocketClient.connect(
                to: "ws://127.0.0.1:\(peer.port)/echo", configuration: .init(pingInterval: nil))
            let consumer = Task {
                for await event in client.events where event == .opened {}
            }
            consumer.cancel()
            await consumer.value
            // The cancelled stream asked for a close with 1001, so the link refuses new messages.
            #expect(client.send(text: "after cancel") == false)
        }
    }
}
