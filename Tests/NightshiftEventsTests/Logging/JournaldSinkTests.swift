import Foundation
import Testing
@testable import NightshiftEvents

@Suite struct JournaldSinkTests {
    /// A datagram socket bound at a path, standing where journald's socket would be.
    final class FakeJournalSocket {
        let fd: Int32
        let path: String

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(fd >= 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            try #require(bound == 0)
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var size: Int32 = 1 << 20
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }

        /// The next datagram, parsed as journald's native protocol.
        func receiveFields() throws -> [String: String] {
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            let count = recv(fd, &buffer, buffer.count, 0)
            try #require(count > 0, "no datagram arrived")
            return try Self.parse(Array(buffer[0..<count]))
        }

        static func parse(_ bytes: [UInt8]) throws -> [String: String] {
            var fields: [String: String] = [:]
            var index = 0
            while index < bytes.count {
                let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
                let line = Array(bytes[index..<lineEnd])
                if let equals = line.firstIndex(of: UInt8(ascii: "=")) {
                    fields[String(decoding: line[..<equals], as: UTF8.self)] =
                        String(decoding: line[(equals + 1)...], as: UTF8.self)
                    index = lineEnd + 1
                } else {
                    let lengthStart = lineEnd + 1
                    let length = (0..<8).reduce(0) { $0 | Int(bytes[lengthStart + $1]) << (8 * $1) }
                    let valueStart = lengthStart + 8
                    fields[String(decoding: line, as: UTF8.self)] =
                        String(decoding: bytes[valueStart..<valueStart + length], as: UTF8.self)
                    try #require(bytes[valueStart + length] == 0x0A)
                    index = valueStart + length + 1
                }
            }
            return fields
        }

        deinit {
            close(fd)
            unlink(path)
        }
    }

    @Test func eventsArriveAsStructuredJournalFields() throws {
        let directory = try TemporaryDirectory()
        let journal = try FakeJournalSocket(path: directory.file("journal.socket"))
        let sink = try JournaldSink(socketPath: journal.path, identifier: "nightshift-test")
        let event = EventFactory().make(
            "attempt_failed", level: .warning, source: "open-meteo", instance: "weather",
            message: "HTTP 503\nbody: busy", fields: ["attempt": 2, "retry-after.s": 1.5, "ok": false]
        )
        sink.receive(event)
        #expect(sink.flush(timeout: .seconds(10)))
        let fields = try journal.receiveFields()
        #expect(fields["MESSAGE"] == "HTTP 503\nbody: busy")
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["SYSLOG_IDENTIFIER"] == "nightshift-test")
        #expect(fields["NIGHTSHIFT_EVENT_ID"] == event.id)
        #expect(fields["NIGHTSHIFT_EVENT_TYPE"] == "attempt_failed")
        #expect(fields["NIGHTSHIFT_INSTANCE"] == "weather")
        #expect(fields["NIGHTSHIFT_HOST_INSTANCE"] == event.hostInstance)
        #expect(fields["NIGHTSHIFT_RUN_ID"] == event.runId)
        #expect(fields["NIGHTSHIFT_F_ATTEMPT"] == "2")
        #expect(fields["NIGHTSHIFT_F_RETRY_AFTER_S"] == "1.5")
        #expect(fields["NIGHTSHIFT_F_OK"] == "false")
        #expect(sink.droppedCount == 0)
    }

    @Test func anEmptyMessageFallsBackToTheEventType() throws {
        let bytes = JournaldDatagram.encode(
            EventFactory().make("stream_connected"), identifier: "n", includeFields: true, messageLimit: nil
        )
        #expect(try FakeJournalSocket.parse(bytes)["MESSAGE"] == "stream_connected")
    }

    @Test func fieldKeysAreJournalSafe() {
        #expect(JournaldDatagram.fieldKey("délai ms") == "NIGHTSHIFT_F_D__LAI_MS")
        #expect(JournaldDatagram.fieldKey(String(repeating: "k", count: 100)).utf8.count == 64)
    }

    @Test func theSystemSinkExistsOnlyWithJournaldsSocket() {
        let present = FileManager.default.fileExists(atPath: JournaldSink.defaultSocketPath)
        #expect((JournaldSink.systemDefault() != nil) == present)
    }
}
