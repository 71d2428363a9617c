import Foundation
import Glibc
import NightshiftKit

/// A minimal HTTP/1.1 client for `http://127.0.0.1` peers, standing in for the host's transport in simulator tests.
///
/// One connection per request (`Connection: close`), the body read to the end of the stream. A request that gets no
/// complete answer within its timeout returns status 0 with ``HTTPResponse/transportError`` set, as the host's
/// `http` service does.
enum LoopbackHTTP {
    /// Performs `request`; only `http://127.0.0.1:<port>` and `http://localhost:<port>` URLs are allowed.
    static func perform(_ request: HTTPRequest, defaultTimeout: Duration = .seconds(10)) -> HTTPResponse {
        guard let target = Target(request.url) else {
            return HTTPResponse(status: 0, transportError: "not a loopback http URL: \(request.url)")
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return HTTPResponse(status: 0, transportError: "socket failed") }
        defer { close(descriptor) }
        let timeout = request.timeout ?? defaultTimeout
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(target.port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return HTTPResponse(status: 0, transportError: "connection refused") }
        var head = "\(request.method) \(target.path) HTTP/1.1\r\nHost: 127.0.0.1:\(target.port)\r\nConnection: close\r\n"
        head += "Content-Length: \(request.body.count)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        let outgoing = Array((head + "\r\n").utf8) + request.body
        guard writeAll(descriptor, outgoing) else { return HTTPResponse(status: 0, transportError: "send failed") }
        var incoming: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count == 0 { break }
            if count < 0 { return HTTPResponse(status: 0, transportError: errno == EAGAIN ? "timeout" : "read failed") }
            incoming.append(contentsOf: buffer[0..<count])
        }
        return parse(incoming) ?? HTTPResponse(status: 0, transportError: "malformed response")
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func parse(_ bytes: [UInt8]) -> HTTPResponse? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> HTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(
                line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(bytes[(end + separator.count)...])
        if let length = headers.value(of: "content-length").flatMap(Int.init), length < body.count {
            body = Array(body.prefix(length))
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// Port and path-with-query of a loopback URL.
    private struct Target {
        var port: Int
        var path: String

        init?(_ url: String) {
            var rest = Substring(url)
            guard rest.hasPrefix("http://") else { return nil }
            rest = rest.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" }
            let parts = authority.split(separator: ":")
            guard parts.count == 2, parts[0] == "127.0.0.1" || parts[0] == "localhost", let port = Int(parts[1]) else {
                return nil
            }
            self.port = port
            let path = rest.dropFirst(authority.count)
            self.path = path.isEmpty ? "/" : String(path)
        }
    }
}
