import NightshiftIO
import Synchronization

/// Answers one instance's HTTP requests from the recording instead of the network.
///
/// Inside a poll cycle a request parks on the instance's `ReplayPollRunner` until the feeder reaches the recorded
/// response, checks that the request is the recorded one and releases it (see `ReplayFeeder`). Outside a cycle (a
/// request made during `create`, or by a strategy) the next exchange recorded outside cycles answers at once, after
/// the same check. Requests are compared by method and URL, the URL redacted as it was when recorded; a different
/// request, or one more than the recording holds, is a divergence: the replay stops with an error naming both.
final class ReplayTransport: HTTPTransport {
    private struct State {
        /// Exchanges recorded outside any cycle, not yet taken.
        var outside: ArraySlice<RecordedExchange>
        var cycle = 0
        /// Requests made in the current cycle (or outside cycles), for messages.
        var asked = 0
        /// Exchanges recorded outside cycles handed out so far.
        var answered = 0
    }

    let instance: String
    /// The cycle's side of the lockstep with the feeder.
    let runner = ReplayPollRunner()
    /// Triggered when the replay ends during a cycle (the recording ends there, or it diverged): the cycle's poll
    /// driver and retries stop on it, the way the recording run's shutdown stopped them.
    let cut = ShutdownSignal()
    private let state: Mutex<State>
    private let session: ReplaySession
    /// The runtime's shutdown, which ends a paced wait for the next answer.
    private let shutdown: ShutdownSignal

    init(instance: String, outside exchanges: [RecordedExchange], session: ReplaySession, shutdown: ShutdownSignal) {
        self.instance = instance
        self.session = session
        self.shutdown = shutdown
        state = Mutex(State(outside: exchanges[...]))
    }

    /// Requests from now on belong to cycle `number` (0: outside any cycle).
    func enter(cycle number: Int) {
        state.withLock {
            $0.cycle = number
            $0.asked = 0
        }
    }

    /// Requests made in the current cycle so far.
    var asked: Int { state.withLock { $0.asked } }

    /// Exchanges recorded outside cycles handed out so far.
    var answeredOutsideCycles: Int { state.withLock { $0.answered } }

    func perform(_ request: HTTPRequest) -> HTTPResult {
        let asked = "\(request.method.rawValue) \(session.scrubber.url(request.url))"
        let (cycle, number): (Int, Int) = state.withLock { state in
            state.asked += 1
            return (state.cycle, state.asked)
        }
        if cycle > 0 {
            guard !cut.isTriggered else { return .failure(TransportError(code: .other, message: "the replay ends here")) }
            return runner.await(asked)
        }
        let next = state.withLock { $0.outside.first }
        guard let next else {
            return diverged("\(instance) made request \(number) outside any cycle, \(asked), but the recording has no further request there")
        }
        guard next.requestLine == asked else {
            return diverged("\(instance) request \(number) outside any cycle differs from the recording: the plugin asked for \(asked); the recording has \(next.requestLine)")
        }
        state.withLock {
            _ = $0.outside.popFirst()
            $0.answered += 1
        }
        guard session.clock.advance(to: next.time, shutdown: shutdown) else {
            return .failure(TransportError(code: .other, message: "the replay is stopping"))
        }
        return next.result
    }

    /// Records the divergence (the first one wins) and fails the request without touching the network.
    private func diverged(_ message: String) -> HTTPResult {
        session.diverged(ReplayError(.diverged, message))
        return Self.divergedResult
    }

    /// What a request gets once the replay has diverged or ended.
    static let divergedResult = HTTPResult.failure(TransportError(code: .other, message: "replay diverged from the recording"))
}

extension RecordedExchange {
    /// The response or transport failure as the HTTP layer hands it on.
    var result: HTTPResult {
        if status == 0 { return .failure(TransportError(code: TransportError.Code(rawValue: errorCode), message: error)) }
        return .response(HTTPResponse(status: status, headers: headers.map { (name: $0.name, value: $0.value) }, body: body))
    }
}
