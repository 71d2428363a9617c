/// Why a notification could not reach systemd.
///
/// The notifier never throws into its caller: it counts these and reports the first one, so the host can log it once
/// as an event. The message names the notify socket's address but never a notification's text.
public struct SystemdNotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; an open set, so adding a code never breaks a `switch`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// `$NOTIFY_SOCKET` is neither an absolute path nor an `@abstract` name, or is too long for a socket address.
        public static let invalidAddress = Code(rawValue: "invalid_address")
        /// The datagram socket could not be created.
        public static let socketFailed = Code(rawValue: "socket_failed")
        /// `sendto` failed, e.g. nobody listens at the address any more.
        public static let sendFailed = Code(rawValue: "send_failed")

        public var description: String { rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a log line.
    public var message: String
    /// The `$NOTIFY_SOCKET` value the notifier used.
    public var address: String
    /// The `errno` of the failed call, if a system call failed.
    public var errorNumber: Int32?

    public init(code: Code, message: String, address: String, errorNumber: Int32? = nil) {
        self.code = code
        self.message = message
        self.address = address
        self.errorNumber = errorNumber
    }

    public var description: String {
        "\(code): \(message) (NOTIFY_SOCKET=\(address))"
    }
}
