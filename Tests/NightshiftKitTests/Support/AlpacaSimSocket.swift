import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 with a read timeout, for talking to the simulators in tests.
final class AlpacaSimSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// Whether the read timed out (as opposed to the connection failing).
        var isTimeout = false
    }

    private let fd: Int32
    /// Bytes read but not yet consumed.
    private var pending: [UInt8] = []
    private var closed = false

    /// Connects to `127.0.0.1:port`; reads give up after `timeout`.
    init(port: Int, timeout: Duration) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect to port \(port): errno \(code)")
        }
        setTimeout(timeout)
    }

    deinit {
        close()
    }

    /// Changes how long a read waits.
    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += written
        }
    }

    /// Exactly `count` bytes; `nil` when the peer closed first.
    func read(_ count: Int) throws -> [UInt8]? {
        while pending.count < count {
            guard try fill() else { return nil }
        }
        defer { pending.removeFirst(count) }
        return Array(pending.prefix(count))
    }

    /// Bytes up to and including `delimiter`; `nil` when the peer closed first.
    func read(through delimiter: [UInt8]) throws -> [UInt8]? {
        while true {
            if let range = pending.firstRange(of: delimiter) {
                defer { pending.removeFirst(range.upperBound) }
                return Array(pending[..<range.upperBound])
            }
            guard try fill() else { return nil }
        }
    }

    /// Everything until the peer closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { pending.removeAll() }
        return pending
    }

    /// Reads more bytes into `pending`; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            pending.append(contentsOf: chunk[..<count])
            return true
        }
        if count == 0 { return false }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { throw Failure(description: "read timed out", isTimeout: true) }
        if code == ECONNRESET { return false }
        throw Failure(description: "recv: errno \(code)")
    }
}
