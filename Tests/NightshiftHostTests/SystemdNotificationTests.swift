import Testing

@testable import NightshiftHost

@Suite("SystemdNotification")
struct SystemdNotificationTests {
    @Test("Each notification renders as its sd_notify assignment")
    func assignments() {
        #expect(SystemdNotification.ready.assignment == "READY=1")
        #expect(SystemdNotification.watchdog.assignment == "WATCHDOG=1")
        #expect(SystemdNotification.stopping.assignment == "STOPPING=1")
        #expect(SystemdNotification.status("loading 3 plugins").assignment == "STATUS=loading 3 plugins")
        #expect(SystemdNotification.mainPID(4242).assignment == "MAINPID=4242")
        #expect(SystemdNotification.extendTimeout(.seconds(90)).assignment == "EXTEND_TIMEOUT_USEC=90000000")
    }

    @Test("Line breaks in a status cannot start a forged assignment")
    func statusIsOneLine() {
        let status = SystemdNotification.status("broker down\nREADY=1\r\nWATCHDOG=1")
        #expect(status.assignment == "STATUS=broker down READY=1 WATCHDOG=1")
        #expect(!status.assignment.contains("\n"))
    }

    @Test("EXTEND_TIMEOUT_USEC is whole microseconds, never negative")
    func extendTimeoutMicroseconds() {
        #expect(SystemdNotification.extendTimeout(.milliseconds(1500)).assignment == "EXTEND_TIMEOUT_USEC=1500000")
        #expect(SystemdNotification.extendTimeout(.nanoseconds(2_999)).assignment == "EXTEND_TIMEOUT_USEC=2")
        #expect(SystemdNotification.extendTimeout(.seconds(-5)).assignment == "EXTEND_TIMEOUT_USEC=0")
    }

    @Test("A datagram holds one assignment per line, in order")
    func datagram() {
        let datagram = SystemdNotification.datagram([.stopping, .status("draining"), .extendTimeout(.seconds(5))])
        #expect(datagram == "STOPPING=1\nSTATUS=draining\nEXTEND_TIMEOUT_USEC=5000000")
    }
}
