import Foundation
import Glibc

/// One HTTP answer from a peer on 127.0.0.1, fetched over a plain socket.
///
/// Tests use it to reach simulators' control routes without going through the code under test: one connection per
/// request (`Connection: close`), the body read to the end of the stream and cut to `Content-Length`.
public struct LoopbackResponse: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public var status: Int
    public var body: [UInt8]

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Sends `method path` (with any extra `headers`) to `127.0.0.1:port` and reads the whole answer (at most
    /// `timeoutSeconds` per read).
    public static func fetch(
        port: Int, method: String, path: String, body: [UInt8]? = nil, headers: [String: String] = [:],
        timeoutSeconds: Int = 10
    ) throws -> LoopbackResponse {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        let outgoing = Array((head + "\r\n").utf8) + (body ?? [])
        var offset = 0
        while offset < outgoing.count {
            let written = outgoing[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "send to 127.0.0.1:\(port) failed: errno \(errno)") }
            offset += written
        }
        var incoming: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "read from 127.0.0.1:\(port) failed: errno \(errno)") }
            incoming.append(contentsOf: buffer[0..<count])
        }
        guard let response = parse(incoming) else {
            throw Failure(description: "malformed answer from 127.0.0.1:\(port) (\(incoming.count) bytes)")
        }
        return response
    }

    /// The status line, headers and body of a complete HTTP/1.x answer.
    static func parse(_ bytes: [UInt8]) -> LoopbackResponse? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var body = Array(bytes[(end + separator.count)...])
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length",
                let length = Int(parts[1].trimmingCharacters(in: .whitespaces)), length < body.count
            {
                body = Array(body.prefix(length))
            }
        }
        return LoopbackResponse(status: status, body: body)
    }
}
