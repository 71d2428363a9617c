import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// TLS verification for wss:// against a peer with a freshly generated self-signed certificate.
@Suite(.serialized)
struct WebSocketClientTLSTests {
    @Test func refusesAnUntrustedCertificateByDefault() async throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        try await withScript("peers/ws_peer.py", arguments: certificate.peerArguments) { peer in
            let client = WebSocketClient.connect(
                to: "wss://127.0.0.1:\(peer.port)/echo", configuration: .init(pingInterval: nil))
            let log = EventLog(client.events)
            #expect(await log.waitForEnd())
            #expect(!log.events.contains(.opened))
            guard case .failed(let error) = log.terminal else {
                Issue.record("an untrusted certificate must be refused, got \(log.events)")
                return
            }
            #expect(error.code == .tls)
        }
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func acceptsTheCertificateWhenItsCAIsConfigured(host: String) async throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        try await withScript("peers/ws_peer.py", arguments: certificate.peerArguments) { peer in
            let configuration = WebSocketClient.Configuration(
                caFile: certificate.certificatePath, pingInterval: .milliseconds(50))
            let client = WebSocketClient.connect(to: "wss://\(host):\(peer.port)/echo", configuration: configuration)
            let log = EventLog(client.events)
            #expect(await log.wait { $0.contains(.opened) })
            #expect(client.send(text: "over tls"))
            #expect(await log.wait { events in
                events.contains(.text("over tls")) && events.contains { if case .pong = $0 { true } else { false } }
            })
            client.close()
            #expect(await log.waitForEnd())
            #expect(log.terminal == .closed(code: 1000, reason: ""))
        }
    }
}
