import Foundation
import NightshiftTestSupport
import Testing

@testable import NightshiftIO

/// The HTTP client against a real HTTP/1.1 peer on 127.0.0.1.
@Suite(.serialized)
struct HTTPClientTests {
    private func url(_ peer: ScriptProcess, _ path: String) -> String {
        "http://127.0.0.1:\(peer.port)\(path)"
    }

    @Test func returnsStatusBodyAndLowerCasedHeaders() throws {
        try withScript("peers/http_peer.py") { peer in
            let response = try HTTPClient().perform(HTTPRequest(url: url(peer, "/ok"))).get()
            #expect(response.status == 200)
            #expect(response.text == "ok")
            #expect(response.header("X-Peer") == "nightshift-test")
            #expect(response.headers.contains { $0.name == "x-peer" })
            #expect(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
        }
    }

    @Test func reportsServerErrorsAsResponsesWithoutRetrying() throws {
        try withScript("peers/http_peer.py") { peer in
            let client = HTTPClient()
            let request = HTTPRequest(url: url(peer, "/flaky?key=a&fails=2"))
            let statuses = try (0..<3).map { _ in try client.perform(request).get().status }
            #expect(statuses == [503, 503, 200])
            #expect(try client.perform(request).get().text == "recovered")
        }
    }

    @Test func exposesRetryAfterOnTooManyRequests() throws {
        try withScript("peers/http_peer.py") { peer in
            let response = try HTTPClient().perform(HTTPRequest(url: url(peer, "/ratelimited?after=7"))).get()
            #expect(response.status == 429)
            #expect(response.header("retry-after") == "7")
        }
    }

    @Test func failsWithTimeoutWhenTheServerIsSlow() throws {
        try withScript("peers/http_peer.py") { peer in
            let request = HTTPRequest(url: url(peer, "/slow?seconds=30"), timeout: .milliseconds(300))
            guard case .failure(let error) = HTTPClient().perform(request) else {
                Issue.record("a slow response must time out")
                return
            }
            #expect(error.code == .timeout)
            #expect(error.underlyingCode == 28)
        }
    }

    @Test func reusesOneConnectionForSequentialRequests() throws {
        try withScript("peers/http_peer.py") { peer in
            let client = HTTPClient()
            for _ in 0..<5 {
                #expect(try client.perform(HTTPRequest(url: url(peer, "/ok"))).get().status == 200)
            }
            let count = try client.perform(HTTPRequest(url: url(peer, "/connections"))).get().text
            #expect(count == "1")
        }
    }

    @Test func serialisesConcurrentCallersOnOneConnection() async throws {
        try await withScript("peers/http_peer.py") { peer in
            let client = HTTPClient()
            let target = url(peer, "/ok")
            let statuses = await withTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        (0..<5).map { _ in (try? client.perform(HTTPRequest(url: target)).get().status) ?? -1 }
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            let connections = try client.perform(HTTPRequest(url: url(peer, "/connections"))).get()
            #expect(connections.text == "1")
        }
    }

    @Test func sendsMethodHeadersAndBody() throws {
        try withScript("peers/http_peer.py") { peer in
            let client = HTTPClient()
            let body = Array(#"{"side":"buy","note":"ünïcode"}"#.utf8)
            let request = HTTPRequest(
                method: .post, url: url(peer, "/echo?x=1"),
                headers: [(name: "Content-Type", value: "application/json"), (name: "X-Api-Key", value: "k1")],
                body: body)
            let echoed = try echo(client.perform(request).get())
            #expect(echoed["method"] as? String == "POST")
            #expect(echoed["path"] as? String == "/echo?x=1")
            #expect(echoed["body"] as? String == #"{"side":"buy","note":"ünïcode"}"#)
            let headers = echoed["headers"] as? [String: String] ?? [:]
            #expect(headers["x-api-key"] == "k1")
            #expect(headers["content-type"] == "application/json")
            #expect(headers["expect"] == nil)

            for method in [HTTPMethod.put, .patch, .delete] {
                let echoed = try echo(client.perform(HTTPRequest(method: method, url: url(peer, "/echo"))).get())
                #expect(echoed["method"] as? String == method.rawValue)
                #expect(echoed["body"] as? String == "")
            }
        }
    }

    @Test func headRequestHasNoBody() throws {
        try withScript("peers/http_peer.py") { peer in
            let response = try HTTPClient().perform(HTTPRequest(method: .head, url: url(peer, "/ok"))).get()
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(response.header("content-length") == "2")
        }
    }

    @Test func followsNoRedirectUnlessConfigured() throws {
        try withScript("peers/http_peer.py") { peer in
            let unfollowed = try HTTPClient().perform(HTTPRequest(url: url(peer, "/redirect"))).get()
            #expect(unfollowed.status == 302)
            #expect(unfollowed.header("location") == "/ok")

            let following = HTTPClient(configuration: .init(followRedirects: true))
            let followed = try following.perform(HTTPRequest(url: url(peer, "/redirect"))).get()
            #expect(followed.status == 200)
            #expect(followed.text == "ok")
        }
    }

    @Test func decodesCompressedBodies() throws {
        try withScript("peers/http_peer.py") { peer in
            let response = try HTTPClient().perform(HTTPRequest(url: url(peer, "/gzip"))).get()
            #expect(response.text == "compressed hello")
        }
    }

    private func echo(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }
}
