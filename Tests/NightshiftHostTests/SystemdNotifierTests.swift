import Foundation
import Synchronization
import Testing

@testable import NightshiftHost

#if canImport(Glibc)
import Glibc
#endif

@Suite("SystemdNotifier")
struct SystemdNotifierTests {
    @Test("READY=1 with STATUS, WATCHDOG=1 and STOPPING=1 arrive as datagrams on a path socket")
    func lifecycleOverPathSocket() throws {
        let receiver = try NotifySocketReceiver()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])

        #expect(notifier.isEnabled)
        #expect(notifier.notify(.ready, .status("3 plugins running")))
        #expect(receiver.receive() == "READY=1\nSTATUS=3 plugins running")
        #expect(notifier.notify(.watchdog))
        #expect(receiver.receive() == "WATCHDOG=1")
        #expect(notifier.notify(.stopping, .status("draining")))
        #expect(receiver.receive() == "STOPPING=1\nSTATUS=draining")
        #expect(notifier.failureCount == 0)
    }

    @Test("An @name in NOTIFY_SOCKET reaches a socket in the abstract namespace")
    func abstractSocket() throws {
        let receiver = try NotifySocketReceiver(abstract: true)
        #expect(receiver.address.hasPrefix("@"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])

        #expect(notifier.notify(.ready))
        #expect(receiver.receive() == "READY=1")
        #expect(notifier.notify(.watchdog))
        #expect(receiver.receive() == "WATCHDOG=1")
    }

    @Test("MAINPID and EXTEND_TIMEOUT_USEC travel together in one datagram")
    func mainPIDAndExtendTimeout() throws {
        let receiver = try NotifySocketReceiver()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])

        #expect(notifier.notify(.mainPID(getpid()), .extendTimeout(.seconds(20))))
        #expect(receiver.receive() == "MAINPID=\(getpid())\nEXTEND_TIMEOUT_USEC=20000000")
    }

    @Test("Without NOTIFY_SOCKET (or with it empty) every call is a no-op")
    func disabledWithoutVariable() {
        for environment in [[:], ["NOTIFY_SOCKET": ""]] as [[String: String]] {
            let reported = Mutex(0)
            let notifier = SystemdNotifier(environment: environment) { _ in reported.withLock { $0 += 1 } }
            #expect(!notifier.isEnabled)
            #expect(!notifier.notify(.ready, .status("up")))
            #expect(!notifier.notify(.watchdog))
            #expect(notifier.failureCount == 0)
            #expect(notifier.firstFailure == nil)
            #expect(reported.withLock { $0 } == 0)
        }
    }

    @Test("Sending to a socket nobody listens on is counted every time and reported once")
    func failuresCountedReportedOnce() throws {
        let directory = try NotifySocketReceiver.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let address = directory + "/absent.sock"
        let reported = Mutex<[SystemdNotifierError]>([])
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address]) { error in
            reported.withLock { $0.append(error) }
        }

        #expect(!notifier.notify(.ready))
        #expect(!notifier.notify(.watchdog))
        #expect(!notifier.notify(.stopping))

        #expect(notifier.failureCount == 3)
        let errors = reported.withLock { $0 }
        #expect(errors.count == 1)
        #expect(errors.first?.code == .sendFailed)
        #expect(errors.first?.errorNumber == ENOENT)
        #expect(errors.first?.address == address)
        #expect(notifier.firstFailure == errors.first)
    }

    @Test("A receiver that goes away turns later sends into counted failures, never a throw")
    func receiverGoesAway() throws {
        var receiver: NotifySocketReceiver? = try NotifySocketReceiver()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver!.address])
        #expect(notifier.notify(.ready))
        #expect(receiver?.receive() == "READY=1")

        receiver = nil
        #expect(!notifier.notify(.watchdog))
        #expect(notifier.failureCount == 1)
        #expect(notifier.firstFailure?.code == .sendFailed)
    }

    @Test(
        "Addresses that are not an absolute path or an @name are refused as invalid",
        arguments: ["relative/notify.sock", "@", "notify", "/" + String(repeating: "a", count: 120)]
    )
    func invalidAddresses(address: String) {
        let reported = Mutex(0)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address]) { _ in reported.withLock { $0 += 1 } }

        #expect(notifier.isEnabled)
        #expect(!notifier.notify(.ready))
        #expect(!notifier.notify(.watchdog))
        #expect(notifier.failureCount == 2)
        #expect(notifier.firstFailure?.code == .invalidAddress)
        #expect(reported.withLock { $0 } == 1)
    }

    @Test("Notifications from many threads each arrive whole")
    func concurrentSenders() async throws {
        let receiver = try NotifySocketReceiver()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
        let senders = 4
        let perSender = 5

        // Fewer datagrams in flight than the socket's queue holds (net.unix.max_dgram_qlen defaults to 10), read
        // between rounds, so a non-blocking send never finds the queue full.
        var received: [String] = []
        for round in 0..<perSender {
            await withTaskGroup(of: Bool.self) { group in
                for sender in 0..<senders {
                    group.addTask { notifier.notify(.status("sender \(sender) round \(round)")) }
                }
                for await sent in group { #expect(sent) }
            }
            for _ in 0..<senders {
                if let datagram = receiver.receive() { received.append(datagram) }
            }
        }

        let expected = (0..<perSender).flatMap { round in
            (0..<senders).map { "STATUS=sender \($0) round \(round)" }
        }
        #expect(received.sorted() == expected.sorted())
        #expect(notifier.failureCount == 0)
    }
}

// MARK: - A real notify socket

/// A notify socket read on its own thread for the whole test, so a host can send as much as it likes.
final class NotifyStatusRecorder: @unchecked Sendable {
    private let receiver: NotifySocketReceiver
    private let lock = NSLock()
    private var received: [String] = []

    /// The value for `NOTIFY_SOCKET`.
    var address: String { receiver.address }
    /// Every datagram so far.
    var messages: [String] { lock.withLock { received } }

    init() throws {
        receiver = try NotifySocketReceiver()
        // Weak: the thread ends within one receive timeout of the test letting go of the recorder.
        Thread { [weak self] in
            while let recorder = self { recorder.receiveOne() }
        }.start()
    }

    private func receiveOne() {
        if let message = receiver.receive(timeout: .milliseconds(200)) { lock.withLock { received.append(message) } }
    }
}

/// A bound `AF_UNIX` datagram socket that stands in for systemd's notify socket.
final class NotifySocketReceiver {
    /// The value to put in `NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    let address: String
    private let descriptor: Int32
    private let directory: String?

    init(abstract: Bool = false) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ReceiverError(operation: "socket", errorNumber: errno) }
        var pathBytes: [UInt8]
        if abstract {
            let name = "nightshift-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            address = "@" + name
            pathBytes = [0] + Array(name.utf8)
            directory = nil
        } else {
            let directory = try NotifySocketReceiver.makeTemporaryDirectory()
            address = directory + "/notify.sock"
            pathBytes = Array(address.utf8)
            self.directory = directory
        }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: pathBytes) }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let length = socklen_t(pathOffset + pathBytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let error = errno
            close(descriptor)
            throw ReceiverError(operation: "bind", errorNumber: error)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The next datagram, or nil if none arrives within the timeout.
    func receive(timeout: Duration = .seconds(5)) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// A fresh directory under /tmp, short enough for socket paths (108 bytes at most).
    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/nightshift-notify.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw ReceiverError(operation: "mkdtemp", errorNumber: errno)
        }
        return String(cString: created)
    }

    struct ReceiverError: Error {
        var operation: String
        var errorNumber: Int32
    }
}

