#if canImport(Glibc)
import Glibc
#endif

/// Writing whole buffers to a file descriptor, and loud notes to stderr.
enum FileDescriptorWriter {
    /// Writes all of `bytes`, retrying on `EINTR` and waiting out `EAGAIN`; returns `errno` on failure, else `nil`.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                var waiter = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&waiter, 1, 100)
                continue
            }
            return code
        }
        return nil
    }

    /// Writes `nightshift: <message>` as one line to stderr, for problems the event log itself cannot record.
    static func reportToStandardError(_ message: String) {
        writeAll(2, Array("nightshift: \(message)\n".utf8))
    }

    /// The text for an `errno` value.
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
