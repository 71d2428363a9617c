#if canImport(Glibc)
import Glibc
#endif

/// One state change the host reports to systemd over the notify socket.
///
/// Each notification renders as one `KEY=value` line of the sd_notify protocol; several can travel in one datagram,
/// separated by newlines. Values never contain a newline (it would start a new assignment), so free text is flattened.
public enum SystemdNotification: Sendable, Hashable {
    /// Start-up is complete: a `Type=notify` unit becomes active (`READY=1`).
    case ready
    /// A one-line human-readable status, shown by `systemctl status` (`STATUS=…`).
    case status(String)
    /// The event loop is healthy: resets the watchdog timer (`WATCHDOG=1`).
    case watchdog
    /// Graceful shutdown has begun (`STOPPING=1`).
    case stopping
    /// The service's main process is this PID (`MAINPID=…`).
    case mainPID(pid_t)
    /// Start-up or shutdown needs this much longer than the unit's timeout allows (`EXTEND_TIMEOUT_USEC=…`).
    ///
    /// systemd waits this long from the moment it receives the message; negative durations are sent as zero.
    case extendTimeout(Duration)

    /// The line sent on the socket, without a trailing newline.
    public var assignment: String {
        switch self {
        case .ready:
            "READY=1"
        case .status(let text):
            "STATUS=" + Self.singleLine(text)
        case .watchdog:
            "WATCHDOG=1"
        case .stopping:
            "STOPPING=1"
        case .mainPID(let pid):
            "MAINPID=\(pid)"
        case .extendTimeout(let duration):
            "EXTEND_TIMEOUT_USEC=\(Self.microseconds(duration))"
        }
    }

    /// The datagram carrying these notifications, one assignment per line.
    public static func datagram(_ notifications: [SystemdNotification]) -> String {
        notifications.map(\.assignment).joined(separator: "\n")
    }

    // MARK: - Rendering

    /// Replaces line breaks (which would end the assignment) with spaces.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Whole microseconds in a duration, clamped at zero.
    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? Int64.max : whole + attoseconds / 1_000_000_000_000
    }
}
