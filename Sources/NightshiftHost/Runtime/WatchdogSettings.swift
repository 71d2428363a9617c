import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The systemd watchdog this process must feed, read from `WATCHDOG_USEC` and `WATCHDOG_PID`.
///
/// systemd sets `WATCHDOG_USEC` to the unit's `WatchdogSec=` in microseconds; if no `WATCHDOG=1` arrives within that
/// interval it kills the service (`Result=watchdog`) and restarts it. `WATCHDOG_PID`, when set, names the process the
/// setting is meant for: a child that inherited the environment must not act on it.
public struct WatchdogSettings: Sendable, Hashable {
    /// The longest systemd waits between two `WATCHDOG=1` notifications.
    public var interval: Duration

    public init(interval: Duration) {
        self.interval = interval
    }

    /// Reads the watchdog from the environment.
    ///
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - processID: This process's PID, compared with `WATCHDOG_PID`.
    /// - Returns: The settings, or nil when there is no watchdog for this process: `WATCHDOG_USEC` absent, not a
    ///   positive integer, or `WATCHDOG_PID` set to another process.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        processID: pid_t = getpid()
    ) -> WatchdogSettings? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty {
            guard let pid = pid_t(owner), pid == processID else { return nil }
        }
        return WatchdogSettings(interval: .microseconds(microseconds))
    }
}
