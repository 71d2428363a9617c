import Foundation
import NightshiftKit
import NightshiftKitTesting

/// A minimal blocking HTTP/1.1 client for the orders simulator, and the fake host's HTTP service built on it.
enum AlpacaSimHTTP {
    /// Performs `request` against `127.0.0.1` (one connection per request, `Connection: close`).
    ///
    /// - Throws: ``AlpacaSimSocket/Failure`` when the connection fails or no answer arrives within `timeout`.
    static func perform(_ request: HTTPRequest, timeout: Duration = .seconds(5)) throws -> HTTPResponse {
        guard let components = URLComponents(string: request.url), components.scheme == "http",
            let port = components.port
        else { throw AlpacaSimSocket.Failure(description: "not a local http:// URL: \(request.url)") }
        let socket = try AlpacaSimSocket(port: port, timeout: timeout)
        defer { socket.close() }
        let target = components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        // A bodiless GET carries no Content-Length: the stream simulator's HTTP parser refuses one.
        if request.method != "GET" || !request.body.isEmpty { head += "Content-Length: \(request.body.count)\r\n" }
        head += "\r\n"
        try socket.write(Array(head.utf8) + request.body)
        let raw = try socket.readToEnd()
        guard let split = raw.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw AlpacaSimSocket.Failure(description: "no answer")
        }
        let lines = String(decoding: raw[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let headers = lines.dropFirst().compactMap { line -> HTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return HTTPHeader(
                line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return HTTPResponse(status: status, headers: headers, body: Array(raw[split.upperBound...]))
    }

    /// Routes the fake host's `http` service to the simulator: a timeout or a dropped connection is the host's
    /// "retries exhausted" failure (`NS_RETRY`), as the real host reports it.
    static func connect(_ host: FakeHost) {
        host.httpFallback = { request in
            do {
                return .response(try perform(request, timeout: request.timeout ?? .seconds(5)))
            } catch {
                return .failure(.retry, "\(error)")
            }
        }
    }
}
