#if canImport(Glibc)
import Glibc
#endif

/// The address systemd listens on for notifications, parsed from `$NOTIFY_SOCKET`.
///
/// systemd passes either an absolute file-system path or, with a leading `@`, the name of a socket in the abstract
/// namespace (no file; the address starts with a NUL byte).
struct SystemdNotifyAddress: Sendable, Hashable {
    /// The bytes of `sun_path`: the path, or a NUL followed by the abstract name. Not NUL-terminated.
    let socketPath: [UInt8]

    /// Parses a `$NOTIFY_SOCKET` value.
    ///
    /// - Throws: `SystemdNotifierError` with code `invalidAddress` when the value is neither an absolute path nor
    ///   an `@name`, or does not fit a `sockaddr_un`.
    init(_ value: String) throws(SystemdNotifierError) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        var bytes: [UInt8]
        if value.hasPrefix("@"), value.utf8.count > 1 {
            bytes = [0] + Array(value.utf8.dropFirst())
        } else if value.hasPrefix("/") {
            bytes = Array(value.utf8)
            // A path needs room for its terminating NUL.
            guard bytes.count < capacity else { throw Self.invalid(value, "the path is too long") }
        } else {
            throw Self.invalid(value, "not an absolute path or an @abstract name")
        }
        guard bytes.count <= capacity, !bytes.dropFirst().contains(0) else {
            throw Self.invalid(value, "not a valid socket address")
        }
        socketPath = bytes
    }

    private static func invalid(_ value: String, _ reason: String) -> SystemdNotifierError {
        SystemdNotifierError(code: .invalidAddress, message: "NOTIFY_SOCKET is \(reason)", address: value)
    }
}

/// The system calls behind the notifier: an `AF_UNIX` datagram socket and `sendto`.
enum SystemdNotifySocket {
    /// A failed system call: its `errno` and the `strerror` text.
    struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        let errorNumber: Int32

        var description: String {
            String(cString: strerror(errorNumber))
        }
    }

    /// Opens a close-on-exec datagram socket, or returns the `errno` of the failure.
    static func open() -> Result<Int32, Failure> {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        return descriptor >= 0 ? .success(descriptor) : .failure(Failure(errorNumber: errno))
    }

    /// Sends one datagram to the address without blocking; returns the failure, or nil on success.
    ///
    /// A full receive queue (systemd not reading) fails with `EAGAIN` instead of stalling the caller.
    static func send(_ payload: String, to address: SystemdNotifyAddress, on descriptor: Int32) -> Failure? {
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { sunPath in
            sunPath.copyBytes(from: address.socketPath)
        }
        // Abstract names are exactly as long as given; paths are NUL-terminated by the zeroed tail.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let trailingNUL = address.socketPath.first == 0 ? 0 : 1
        let length = socklen_t(pathOffset + address.socketPath.count + trailingNUL)
        let bytes = Array(payload.utf8)
        let sent = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { genericAddress in
                bytes.withUnsafeBytes { buffer in
                    let flags = Int32(MSG_NOSIGNAL | MSG_DONTWAIT)
                    return sendto(descriptor, buffer.baseAddress, buffer.count, flags, genericAddress, length)
                }
            }
        }
        return sent == bytes.count ? nil : Failure(errorNumber: sent < 0 ? errno : EMSGSIZE)
    }
}
