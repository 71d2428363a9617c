import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Reports the host's state to systemd (sd_notify) without libsystemd.
///
/// Reads `$NOTIFY_SOCKET` once, at creation: an absolute path or an `@abstract` name, where systemd receives
/// `AF_UNIX` datagrams of `KEY=value` lines. Without the variable (not run by systemd, or not `Type=notify`) every
/// call is a no-op. Sending never throws and never blocks the caller for long: a failure is counted, and the first
/// one is handed to `onFirstFailure` so the host can log it once; later ones only increase `failureCount`.
///
/// Safe to call from any thread; one socket is opened on first use and kept.
public final class SystemdNotifier: Sendable {
    /// The `$NOTIFY_SOCKET` value, or nil when notifications are off.
    public let address: String?

    private let target: Result<SystemdNotifyAddress, SystemdNotifierError>?
    private let onFirstFailure: (@Sendable (SystemdNotifierError) -> Void)?
    private let state = Mutex(State())

    private struct State {
        var descriptor: Int32 = -1
        var failureCount = 0
        var firstFailure: SystemdNotifierError?
    }

    /// Creates a notifier for the socket named in the environment.
    ///
    /// - Parameters:
    ///   - environment: The process environment; `NOTIFY_SOCKET` is read from it.
    ///   - onFirstFailure: Called once, on the sending thread, with the first failure; never with a later one.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onFirstFailure: (@Sendable (SystemdNotifierError) -> Void)? = nil
    ) {
        let value = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        address = value
        target = value.map { value in Result { () throws(SystemdNotifierError) in try SystemdNotifyAddress(value) } }
        self.onFirstFailure = onFirstFailure
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Whether systemd asked for notifications (`$NOTIFY_SOCKET` was set).
    public var isEnabled: Bool { address != nil }

    /// How many notifications failed to reach systemd.
    public var failureCount: Int { state.withLock { $0.failureCount } }

    /// The first failure, if any; the one handed to `onFirstFailure`.
    public var firstFailure: SystemdNotifierError? { state.withLock { $0.firstFailure } }

    // MARK: - Sending

    /// Sends the notifications in one datagram, e.g. `notify(.ready, .status("3 plugins running"))`.
    ///
    /// - Returns: true when systemd was sent the datagram; false when notifications are off or sending failed.
    @discardableResult
    public func notify(_ notifications: SystemdNotification...) -> Bool {
        notify(notifications)
    }

    /// Sends the notifications in one datagram.
    ///
    /// - Returns: true when systemd was sent the datagram; false when notifications are off or sending failed.
    @discardableResult
    public func notify(_ notifications: [SystemdNotification]) -> Bool {
        guard let target, let address, !notifications.isEmpty else { return false }
        let destination: SystemdNotifyAddress
        switch target {
        case .failure(let error):
            record(error)
            return false
        case .success(let parsed):
            destination = parsed
        }
        let payload = SystemdNotification.datagram(notifications)
        let failure: SystemdNotifierError? = state.withLock { state in
            if state.descriptor < 0 {
                switch SystemdNotifySocket.open() {
                case .success(let descriptor):
                    state.descriptor = descriptor
                case .failure(let failure):
                    return SystemdNotifierError(
                        code: .socketFailed, message: "cannot create a datagram socket: \(failure)",
                        address: address, errorNumber: failure.errorNumber)
                }
            }
            guard let failure = SystemdNotifySocket.send(payload, to: destination, on: state.descriptor) else {
                return nil
            }
            return SystemdNotifierError(
                code: .sendFailed, message: "cannot send to the notify socket: \(failure)",
                address: address, errorNumber: failure.errorNumber)
        }
        guard let failure else { return true }
        record(failure)
        return false
    }

    /// Counts a failure and reports it if it is the first.
    private func record(_ failure: SystemdNotifierError) {
        let isFirst = state.withLock { state in
            state.failureCount += 1
            guard state.firstFailure == nil else { return false }
            state.firstFailure = failure
            return true
        }
        if isFirst { onFirstFailure?(failure) }
    }
}
