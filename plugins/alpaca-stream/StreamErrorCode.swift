import NightshiftKit

/// An error code the stream sends as `{"T":"error","code":N,"msg":".."}`, and what the host should do about it.
///
/// An open set: a code not listed here is treated as transient. Alpaca's own client gives up on 402, 409 and 411;
/// 400, 401 and 403 mean this client broke the protocol, and 405 and 410 mean the configuration asks for what the
/// account or feed cannot have — reconnecting repeats them, so those stop the stream too. Everything else (auth
/// timeout, connection limit, slow client, internal error) may clear up, so the host reconnects with backoff.
struct StreamErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: Int

    init(rawValue: Int) {
        self.rawValue = rawValue
    }

    static let invalidSyntax = StreamErrorCode(rawValue: 400)
    static let notAuthenticated = StreamErrorCode(rawValue: 401)
    static let authFailed = StreamErrorCode(rawValue: 402)
    static let alreadyAuthenticated = StreamErrorCode(rawValue: 403)
    static let authTimeout = StreamErrorCode(rawValue: 404)
    static let symbolLimitExceeded = StreamErrorCode(rawValue: 405)
    static let connectionLimitExceeded = StreamErrorCode(rawValue: 406)
    static let slowClient = StreamErrorCode(rawValue: 407)
    static let insufficientSubscription = StreamErrorCode(rawValue: 409)
    static let invalidSubscribeAction = StreamErrorCode(rawValue: 410)
    static let insufficientScope = StreamErrorCode(rawValue: 411)
    static let internalError = StreamErrorCode(rawValue: 500)

    private static let permanent: Set<StreamErrorCode> = [
        .invalidSyntax, .notAuthenticated, .authFailed, .alreadyAuthenticated, .symbolLimitExceeded,
        .insufficientSubscription, .invalidSubscribeAction, .insufficientScope,
    ]

    /// Whether reconnecting cannot help.
    var isPermanent: Bool { Self.permanent.contains(self) }

    /// The documented meaning.
    var meaning: String {
        switch self {
        case .invalidSyntax: "invalid syntax"
        case .notAuthenticated: "not authenticated"
        case .authFailed: "auth failed"
        case .alreadyAuthenticated: "already authenticated"
        case .authTimeout: "auth timeout"
        case .symbolLimitExceeded: "symbol limit exceeded"
        case .connectionLimitExceeded: "connection limit exceeded"
        case .slowClient: "slow client"
        case .insufficientSubscription: "insufficient subscription"
        case .invalidSubscribeAction: "invalid subscribe action for this feed"
        case .insufficientScope: "insufficient scope"
        case .internalError: "internal error"
        default: "undocumented error"
        }
    }

    var description: String { "\(rawValue) (\(meaning))" }

    /// The error a callback throws for this code: fatal when permanent, retry otherwise.
    ///
    /// - Parameter serverMessage: the server's `msg`, already free of secrets.
    func pluginError(serverMessage: String) -> PluginError {
        let detail = serverMessage.isEmpty || serverMessage == meaning ? "" : ": \(serverMessage)"
        let text = "alpaca stream error \(self)\(detail)"
        return isPermanent ? PluginError.fatal(text) : PluginError.retry(text)
    }
}
