import Glibc
import NightshiftTestSupport
import Synchronization
import Testing
@testable import NightshiftMetrics

/// The libmicrohttpd shell on a real socket on 127.0.0.1: routes, 404, 405, odd requests, bind failures, stop.
@Suite struct MetricsServerTests {
    static func server(_ routes: [String: MetricsServer.Route] = [:]) throws -> MetricsServer {
        let standard: [String: MetricsServer.Route] = [
            "/hello": { .text("hello\n") },
            "/down": { .verdict(.failing("store unavailable")) },
        ]
        return try MetricsServer(host: "127.0.0.1", port: 0, routes: standard.merging(routes) { $1 })
    }

    @Test func answersARouteAndReportsThePortItBound() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(server.port > 0 && server.address == "127.0.0.1:\(server.port)")
        let hello = try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/hello")
        #expect(hello.status == 200 && hello.text == "hello\n")
        let query = try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/hello?x=1")
        #expect(query.status == 200)
        let down = try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/down")
        #expect(down.status == 503 && down.text == "store unavailable\n")
    }

    @Test func unknownPathsAre404AndOtherMethods405() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/nope").status == 404)
        #expect(try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/").status == 404)
        for method in ["POST", "PUT", "DELETE", "HEAD", "PATCH"] {
            let answer = try LoopbackResponse.fetch(port: server.port, method: method, path: "/hello", body: method == "POST" ? Array("{}".utf8) : nil)
            #expect(answer.status == 405, "\(method)")
        }
    }

    @Test func oddRequestsNeverStopTheServer() throws {
        let calls = Atomic<Int>(0)
        let server = try Self.server(["/count": { calls.add(1, ordering: .relaxed); return .text("counted\n") }])
        defer { server.stop() }
        let oddities: [[UInt8]] = [
            Array("garbage\r\n\r\n".utf8),
            Array("GET /hello HTTP/9.9\r\n\r\n".utf8),
            Array("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n".utf8),
            Array("GET /" .utf8) + Array(repeating: UInt8(ascii: "a"), count: 200_000) + Array(" HTTP/1.1\r\n\r\n".utf8),
            [0, 1, 2, 255, 254, 13, 10, 13, 10],
            Array("GET /hello HTTP/1.1\r\nHost: x\r\n".utf8),  // headers never finished: the peer hangs up
        ]
        for bytes in oddities { Self.sendRaw(bytes, port: server.port) }
        let answer = try LoopbackResponse.fetch(port: server.port, method: "GET", path: "/count")
        #expect(answer.status == 200 && answer.text == "counted\n")
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func aTakenAddressIsAnErrorNamingIt() throws {
        let first = try Self.server()
        defer { first.stop() }
        #expect {
            _ = try MetricsServer(host: "127.0.0.1", port: first.port, routes: [:])
        } throws: { error in
            let error = error as? MetricsServerError
            return error?.code == .addressInUse && error?.address == "127.0.0.1:\(first.port)"
                && error?.isConfigurationProblem == true
                && error?.description.hasPrefix("cannot serve metrics on 127.0.0.1:\(first.port): ") == true
        }
    }

    @Test func addressesThatAreNotThisMachinesOrNotNumericAreConfigurationErrors() {
        // 192.0.2.1 (TEST-NET-1) is on no interface here: bind fails locally, nothing is sent anywhere.
        #expect { _ = try MetricsServer(host: "192.0.2.1", port: 0, routes: [:]) } throws: {
            ($0 as? MetricsServerError)?.code == .addressNotAvailable
        }
        #expect { _ = try MetricsServer(host: "localhost", port: 0, routes: [:]) } throws: {
            ($0 as? MetricsServerError)?.code == .invalidAddress && ($0 as? MetricsServerError)?.isConfigurationProblem == true
        }
    }

    @Test func stopClosesTheSocketAndIsIdempotent() throws {
        let server = try Self.server()
        let port = server.port
        #expect(try LoopbackResponse.fetch(port: port, method: "GET", path: "/hello").status == 200)
        server.stop()
        server.stop()
        #expect(throws: LoopbackResponse.Failure.self) { try LoopbackResponse.fetch(port: port, method: "GET", path: "/hello") }
    }

    /// Writes `bytes` to a fresh connection, reads whatever comes back until the server closes or a second passes.
    static func sendRaw(_ bytes: [UInt8], port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var limit = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(descriptor, &buffer, buffer.count) > 0 {}
    }
}
