/// The v2 stream's handshake as a pure state machine: control messages in, what to send or report out.
///
/// The server greets a new connection with `connected`; the client answers with `auth`; on `authenticated` it
/// sends `subscribe`; the `subscription` acknowledgement starts the data. The host calls `connectionOpened()` on
/// every (re)connect, which starts the handshake over, so a reconnect authenticates and resubscribes. Messages that
/// arrive out of turn (a repeated greeting, a stray acknowledgement) change nothing.
struct StreamSession {
    /// Where the handshake stands.
    enum Phase: Equatable {
        /// No connection.
        case closed
        /// Connected, waiting for the server's `connected` greeting.
        case awaitingGreeting
        /// `auth` sent, waiting for `authenticated`.
        case authenticating
        /// `subscribe` sent, waiting for the `subscription` acknowledgement.
        case subscribing
        /// Subscribed: data flows.
        case streaming
    }

    /// A control message, decoded.
    enum Control: Equatable {
        case connected
        case authenticated
        /// `{"T":"success"}` with another `msg`.
        case success(String)
        case subscription
        case error(code: Int, message: String)
    }

    /// What the shell should do after a control message.
    enum Directive: Equatable {
        case nothing
        /// Send the `auth` frame.
        case sendAuth
        /// Send the `subscribe` frame.
        case sendSubscribe
        /// The server acknowledged a subscription (the first one on this connection when `first`).
        case subscribed(first: Bool)
        /// The server reported an error: stop this connection (and, when permanent, the stream).
        case fail(StreamErrorCode, message: String)
    }

    private(set) var phase = Phase.closed
    /// Connections opened so far, the current one included.
    private(set) var connections = 0

    /// A connection opened: forget the previous one's progress and wait for the greeting.
    mutating func opened() {
        phase = .awaitingGreeting
        connections += 1
    }

    /// The connection is gone.
    mutating func closed() {
        phase = .closed
    }

    /// Advances on one control message.
    mutating func receive(_ control: Control) -> Directive {
        switch (control, phase) {
        case (.error(let code, let message), _):
            return .fail(StreamErrorCode(rawValue: code), message: message)
        case (.connected, .awaitingGreeting):
            phase = .authenticating
            return .sendAuth
        case (.authenticated, .authenticating):
            phase = .subscribing
            return .sendSubscribe
        case (.subscription, .subscribing):
            phase = .streaming
            return .subscribed(first: true)
        case (.subscription, .streaming):
            return .subscribed(first: false)
        default:
            return .nothing
        }
    }
}
