import Foundation

/// A minimal blocking WebSocket client (RFC 6455) for the stream simulator: text messages in and out, pings answered.
///
/// Enough of the protocol to stand in for the host's connection in tests: the opening handshake, masked client
/// frames, unmasked server frames of any length, fragmentation, close and ping.
final class AlpacaSimWebSocket {
    private let socket: AlpacaSimSocket

    /// Opens `ws://127.0.0.1:<port><path>`.
    init(port: Int, path: String, timeout: Duration = .seconds(5)) throws {
        socket = try AlpacaSimSocket(port: port, timeout: timeout)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try socket.write(Array(request.utf8))
        guard let head = try socket.read(through: Array("\r\n\r\n".utf8)) else {
            throw AlpacaSimSocket.Failure(description: "closed during the handshake")
        }
        let status = String(decoding: head, as: UTF8.self).split(separator: "\r\n").first ?? ""
        guard status.hasPrefix("HTTP/1.1 101") else {
            throw AlpacaSimSocket.Failure(description: "handshake refused: \(status)")
        }
    }

    /// Opens the stream a plugin described (`ws://127.0.0.1:<port>/…`).
    convenience init(url: String, timeout: Duration = .seconds(5)) throws {
        guard let components = URLComponents(string: url), components.scheme == "ws", let port = components.port else {
            throw AlpacaSimSocket.Failure(description: "not a local ws:// URL: \(url)")
        }
        try self.init(port: port, path: components.path, timeout: timeout)
    }

    /// The next text message; `nil` once the server closed (close frame or a dropped connection).
    func receive() throws -> String? {
        var message: [UInt8] = []
        while true {
            guard let head = try socket.read(2) else { return nil }
            let fin = head[0] & 0x80 != 0
            let opcode = head[0] & 0x0F
            var length = Int(head[1] & 0x7F)
            if length == 126 {
                guard let extended = try socket.read(2) else { return nil }
                length = Int(extended[0]) << 8 | Int(extended[1])
            } else if length == 127 {
                guard let extended = try socket.read(8) else { return nil }
                length = extended.reduce(0) { $0 << 8 | Int($1) }
            }
            guard let payload = try socket.read(length) else { return nil }
            switch opcode {
            case 0x8:
                return nil
            case 0x9:
                try write(opcode: 0xA, payload: payload)
            case 0xA:
                continue
            default:
                message += payload
                if fin { return String(decoding: message, as: UTF8.self) }
            }
        }
    }

    /// Sends a text message.
    func send(_ text: String) throws {
        try write(opcode: 0x1, payload: Array(text.utf8))
    }

    /// Closes the TCP connection without a close frame.
    func drop() {
        socket.close()
    }

    private func write(opcode: UInt8, payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try socket.write(frame)
    }
}
