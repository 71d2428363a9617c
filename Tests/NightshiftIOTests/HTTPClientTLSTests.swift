import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// TLS verification against an HTTPS peer with a freshly generated self-signed certificate.
@Suite(.serialized)
struct HTTPClientTLSTests {
    @Test func refusesAnUntrustedCertificateByDefault() throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        try withScript("peers/http_peer.py", arguments: certificate.peerArguments) { peer in
            let result = HTTPClient().perform(HTTPRequest(url: "https://127.0.0.1:\(peer.port)/ok"))
            guard case .failure(let error) = result else {
                Issue.record("an untrusted certificate must be refused")
                return
            }
            #expect(error.code == .tls)
        }
    }

    @Test func acceptsTheCertificateWhenItsCAIsConfigured() throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        try withScript("peers/http_peer.py", arguments: certificate.peerArguments) { peer in
            let client = HTTPClient(configuration: .init(caFile: certificate.certificatePath))
            for host in ["127.0.0.1", "localhost"] {
                let response = try client.perform(HTTPRequest(url: "https://\(host):\(peer.port)/ok")).get()
                #expect(response.status == 200)
                #expect(response.text == "ok")
            }
        }
    }

    @Test func refusesAMissingCAFile() throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        try withScript("peers/http_peer.py", arguments: certificate.peerArguments) { peer in
            let client = HTTPClient(configuration: .init(caFile: certificate.directory.path + "/absent.pem"))
            guard case .failure(let error) = client.perform(HTTPRequest(url: "https://127.0.0.1:\(peer.port)/ok"))
            else {
                Issue.record("a missing CA file must not fall back to no verification")
                return
            }
            #expect(error.code == .tls)
        }
    }
}
