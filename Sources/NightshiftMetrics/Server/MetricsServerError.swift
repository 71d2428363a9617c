/// Why the metrics server could not start: the address it was given and what the system said.
public struct MetricsServerError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The kind of failure; an open set, so adding a code never breaks a `switch`.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host part is not a numeric IPv4 or IPv6 address.
        public static let invalidAddress = Code(rawValue: "invalid_address")
        /// Another process listens on the address already.
        public static let addressInUse = Code(rawValue: "address_in_use")
        /// The address belongs to no interface of this machine.
        public static let addressNotAvailable = Code(rawValue: "address_not_available")
        /// The port is privileged, or a sandbox forbids binding.
        public static let permissionDenied = Code(rawValue: "permission_denied")
        /// The socket could not be created or bound for another reason (e.g. out of descriptors).
        public static let socketFailed = Code(rawValue: "socket_failed")
        /// libmicrohttpd would not start on the bound socket.
        public static let daemonFailed = Code(rawValue: "daemon_failed")
    }

    public var code: Code
    public var message: String
    /// The `host:port` the server was asked to listen on.
    public var address: String

    public init(_ code: Code, _ message: String, address: String) {
        self.code = code
        self.message = message
        self.address = address
    }

    /// Whether fixing the deployment's `metrics.listen` is the cure (rather than a restart).
    public var isConfigurationProblem: Bool {
        [.invalidAddress, .addressInUse, .addressNotAvailable, .permissionDenied].contains(code)
    }

    public var description: String { "cannot serve metrics on \(address): \(message)" }
}
