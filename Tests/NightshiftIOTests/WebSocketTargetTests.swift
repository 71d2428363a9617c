import Testing

@testable import NightshiftIO

/// URL parsing and error classification for the WebSocket client.
struct WebSocketTargetTests {
    @Test func parsesSchemeHostPortAndPath() throws {
        let plain = try WebSocketTarget.parse("ws://127.0.0.1:9000/stream?feed=iex").get()
        #expect(plain == WebSocketTarget(isSecure: false, host: "127.0.0.1", port: 9000, path: "/stream?feed=iex"))
        #expect(plain.hostHeader == "127.0.0.1:9000")

        let secure = try WebSocketTarget.parse("WSS://localhost").get()
        #expect(secure == WebSocketTarget(isSecure: true, host: "localhost", port: 443, path: "/"))
        #expect(secure.hostHeader == "localhost")
    }

    @Test(arguments: ["http://127.0.0.1/", "ws:///path", "ws://127.0.0.1:0/", "", "::"])
    func refusesWhatIsNotAWebSocketURL(url: String) {
        guard case .failure(let error) = WebSocketTarget.parse(url) else {
            Issue.record("\(url) must be refused")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func classifiesConnectionErrors() {
        #expect(LWSErrorClassifier.code(forConnectionError: "connect SSL err 1: error:00000001") == .tls)
        #expect(LWSErrorClassifier.code(forConnectionError: "Unable to connect") == .connect)
        #expect(LWSErrorClassifier.code(forConnectionError: "getaddrinfo failed") == .dns)
        #expect(LWSErrorClassifier.code(forConnectionError: "HS: ws upgrade response not 101") == .protocolViolation)
        #expect(LWSErrorClassifier.code(forConnectionError: "Timed out waiting SSL") == .tls)
        #expect(LWSErrorClassifier.code(forConnectionError: "something odd") == .other)
    }

    @Test func validatesHeaders() {
        #expect(HeaderValidation.isValid([(name: "X-Api-Key", value: "abc def")]))
        #expect(HeaderValidation.isValid([(name: "X-Empty", value: "")]))
        #expect(!HeaderValidation.isValid([(name: "X-Bad", value: "a\r\nX-Evil: 1")]))
        #expect(!HeaderValidation.isValid([(name: "X-Bad", value: "a\nb")]))
        #expect(!HeaderValidation.isValid([(name: "X:Bad", value: "a")]))
        #expect(!HeaderValidation.isValid([(name: "X Bad", value: "a")]))
        #expect(!HeaderValidation.isValid([(name: "", value: "a")]))
    }
}
