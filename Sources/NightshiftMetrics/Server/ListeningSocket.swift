import Glibc

/// A TCP socket bound to one numeric address and listening, made here rather than by libmicrohttpd so that a bind
/// failure carries its `errno` (in use, not an address of this machine, privileged port) and port 0 can be used.
struct ListeningSocket {
    let descriptor: Int32
    /// The port bound (the kernel's choice when 0 was asked for).
    let port: Int

    /// Binds and listens on `host` (a numeric IPv4 address, or IPv6 without brackets) and `port`.
    init(host: String, port: Int, backlog: Int32 = 16) throws(MetricsServerError) {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (0...65_535).contains(port) else {
            throw MetricsServerError(.invalidAddress, "port \(port) is out of range", address: address)
        }
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        if host.contains(":") {
            var ipv6 = sockaddr_in6()
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &ipv6.sin6_addr) == 1 else {
                throw MetricsServerError(.invalidAddress, "'\(host)' is not a numeric IPv6 address", address: address)
            }
            withUnsafeBytes(of: ipv6) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
            (length, family) = (socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
        } else {
            var ipv4 = sockaddr_in()
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &ipv4.sin_addr) == 1 else {
                throw MetricsServerError(.invalidAddress, "'\(host)' is not a numeric IPv4 address", address: address)
            }
            withUnsafeBytes(of: ipv4) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
            (length, family) = (socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
        }
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Self.failure(errno, "socket", address) }
        var on: Int32 = 1
        // A restarted host rebinds at once, even with connections of its previous run in TIME_WAIT.
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            // `[::]` means IPv6 only, as written: IPv4 clients need an IPv4 address of their own.
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw Self.failure(code, bound == 0 ? "listen" : "bind", address)
        }
        self.descriptor = descriptor
        self.port = Self.boundPort(descriptor) ?? port
    }

    /// The port the kernel bound `descriptor` to.
    private static func boundPort(_ descriptor: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return nil }
        return withUnsafeBytes(of: storage) { bytes in
            // sin_port and sin6_port sit at the same offset, right after the family.
            Int(UInt16(bigEndian: bytes.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    private static func failure(_ code: Int32, _ call: String, _ address: String) -> MetricsServerError {
        let reason = String(cString: strerror(code))
        switch code {
        case EADDRINUSE:
            return MetricsServerError(
                .addressInUse, "the address is in use by another process (\(reason))", address: address)
        case EADDRNOTAVAIL:
            return MetricsServerError(
                .addressNotAvailable, "no interface of this machine has that address (\(reason))", address: address)
        case EACCES, EPERM:
            return MetricsServerError(.permissionDenied, "binding is not permitted (\(reason))", address: address)
        default:
            return MetricsServerError(.socketFailed, "\(call) failed: \(reason)", address: address)
        }
    }
}
