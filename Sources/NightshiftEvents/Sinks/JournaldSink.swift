#if canImport(Glibc)
import Glibc
#endif

/// Sends each event to journald over its native datagram protocol, as structured journal fields.
///
/// No libsystemd: the native protocol is a datagram of `KEY=value` lines to `/run/systemd/journal/socket`. Events keep
/// their structure in the journal (`journalctl NIGHTSHIFT_EVENT_TYPE=attempt_failed` works). Datagrams go out on a
/// background thread; a datagram too large for the socket is resent with the message cut and the fields left off.
public final class JournaldSink: EventSink, UpstreamAwareSink {
    /// Where journald listens for native datagrams.
    public static let defaultSocketPath = "/run/systemd/journal/socket"

    private let drain: BackgroundDrain<EventRecord>
    let upstream = UpstreamStages()
    private let failures = EventCounter()
    private let socketFD: Int32

    /// A sink on the system journal, or `nil` when journald's socket does not exist (not under systemd).
    public static func systemDefault(identifier: String = "nightshift") -> JournaldSink? {
        var info = stat()
        guard stat(defaultSocketPath, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return try? JournaldSink(socketPath: defaultSocketPath, identifier: identifier)
    }

    /// Creates a sink sending to the datagram socket at `socketPath`, tagging entries `SYSLOG_IDENTIFIER=identifier`.
    ///
    /// - Throws: `EventStoreError` with code `connectionFailed` when no socket can be made or the path is too long.
    public init(socketPath: String, identifier: String = "nightshift", capacity: Int = 10_000) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw EventStoreError(.connectionFailed, FileDescriptorWriter.describe(errno: errno), context: socketPath)
        }
        guard let address = UnixAddress(path: socketPath) else {
            close(fd)
            throw EventStoreError(.invalidArgument, "socket path is too long", context: socketPath)
        }
        let failures = self.failures
        self.socketFD = fd
        drain = BackgroundDrain(name: "journald event sink", capacity: capacity) { events in
            for event in events {
                if !Self.send(event, identifier: identifier, fd: fd, to: address) {
                    failures.add(1)
                }
            }
        }
    }

    deinit {
        drain.stop(timeout: .seconds(1))
        close(socketFD)
    }

    public func receive(_ event: EventRecord) {
        drain.submit(event)
    }

    public func receive(contentsOf events: [EventRecord]) {
        drain.submit(contentsOf: events)
    }

    /// Waits until every event received, or logged to a handler feeding this sink, before the call is written.
    public func flush(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let handed = upstream.flush(timeout: timeout)
        return drain.flush(timeout: max(.zero, deadline - ContinuousClock.now)) && handed
    }

    /// Events dropped because the queue was full or journald refused the datagram.
    public var droppedCount: Int { drain.refusedCount + failures.value }

    private static func send(_ event: EventRecord, identifier: String, fd: Int32, to address: UnixAddress) -> Bool {
        let full = JournaldDatagram.encode(event, identifier: identifier, includeFields: true, messageLimit: nil)
        if address.send(full, from: fd) == 0 { return true }
        guard errno == EMSGSIZE || errno == ENOBUFS else { return false }
        let cut = JournaldDatagram.encode(event, identifier: identifier, includeFields: false, messageLimit: 32_768)
        return address.send(cut, from: fd) == 0
    }
}

/// A `sockaddr_un` for sending datagrams to a path.
struct UnixAddress: Sendable {
    private let pathBytes: [UInt8]

    init?(path: String) {
        pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
    }

    /// Sends `bytes` as one datagram; returns 0, or -1 with `errno` set.
    func send(_ bytes: [UInt8], from fd: Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress,
                           socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return sent < 0 ? -1 : 0
    }
}
