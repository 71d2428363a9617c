import CCurl
import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// Size caps, connection failures and malformed requests.
@Suite(.serialized)
struct HTTPClientLimitsTests {
    private func url(_ peer: ScriptProcess, _ path: String) -> String {
        "http://127.0.0.1:\(peer.port)\(path)"
    }

    @Test func receivesALargeBodyWithinTheCap() throws {
        try withScript("peers/http_peer.py") { peer in
            let client = HTTPClient(configuration: .init(maximumResponseBytes: 4 << 20))
            for chunked in ["0", "1"] {
                let request = HTTPRequest(url: url(peer, "/large?bytes=3000000&chunked=\(chunked)"))
                let response = try client.perform(request).get()
                #expect(response.body.count == 3_000_000)
                #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
            }
        }
    }

    @Test(arguments: ["0", "1"])
    func refusesABodyOverTheCap(chunked: String) throws {
        try withScript("peers/http_peer.py") { peer in
            let client = HTTPClient(configuration: .init(maximumResponseBytes: 64 * 1024))
            let result = client.perform(HTTPRequest(url: url(peer, "/large?bytes=1000000&chunked=\(chunked)")))
            guard case .failure(let error) = result else {
                Issue.record("a body over the cap must fail")
                return
            }
            #expect(error.code == .tooLarge)
            // The client stays usable after an aborted transfer.
            let after = try client.perform(HTTPRequest(url: url(peer, "/ok"))).get()
            #expect(after.text == "ok")
        }
    }

    @Test func reportsARefusedConnection() throws {
        let peer = try ScriptProcess.start("peers/http_peer.py")
        let port = peer.port
        peer.stop()
        let result = HTTPClient().perform(HTTPRequest(url: "http://127.0.0.1:\(port)/ok"))
        guard case .failure(let error) = result else {
            Issue.record("a closed port must refuse the connection")
            return
        }
        #expect(error.code == .connect)
    }

    @Test func refusesHeadersThatWouldInjectLines() {
        let request = HTTPRequest(
            url: "http://127.0.0.1:1/", headers: [(name: "X-Key", value: "a\r\nX-Evil: 1")])
        guard case .failure(let error) = HTTPClient().perform(request) else {
            Issue.record("a header with a line break must be refused")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test(arguments: ["not a url", "ftp://127.0.0.1/file", "file:///etc/hostname"])
    func refusesUnsupportedURLs(url: String) {
        guard case .failure(let error) = HTTPClient().perform(HTTPRequest(url: url)) else {
            Issue.record("\(url) must be refused")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func mapsCurlCodes() {
        #expect(CurlErrorMapping.code(for: CURLE_OPERATION_TIMEDOUT) == .timeout)
        #expect(CurlErrorMapping.code(for: CURLE_COULDNT_CONNECT) == .connect)
        #expect(CurlErrorMapping.code(for: CURLE_COULDNT_RESOLVE_HOST) == .dns)
        #expect(CurlErrorMapping.code(for: CURLE_PEER_FAILED_VERIFICATION) == .tls)
        #expect(CurlErrorMapping.code(for: CURLE_SSL_CONNECT_ERROR) == .tls)
        #expect(CurlErrorMapping.code(for: CURLE_FILESIZE_EXCEEDED) == .tooLarge)
        #expect(CurlErrorMapping.code(for: CURLE_OUT_OF_MEMORY) == .other)
    }

    @Test func convertsTimeoutsToWholeMilliseconds() {
        #expect(CurlTransfer.milliseconds(.seconds(2)) == 2000)
        #expect(CurlTransfer.milliseconds(.milliseconds(1500)) == 1500)
        #expect(CurlTransfer.milliseconds(.microseconds(10)) == 1)
        #expect(CurlTransfer.milliseconds(.zero) == 1)
    }
}
