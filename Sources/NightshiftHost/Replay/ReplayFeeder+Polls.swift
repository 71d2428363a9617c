import NightshiftIO

/// Poll cycles: begun at their recorded time, each request answered where its response sits in the recording.
extension ReplayFeeder {
    mutating func beginCycle(of name: String, number: Int, at time: Int64) -> Bool {
        guard var poll = polls[name] else { return true }
        if case .parked(let asked) = poll.transport.runner.current {
            session.diverged(ReplayError(
                .diverged, "\(name) cycle \(number) began while cycle \(poll.cycle) still waited for an answer to \(asked)"))
            return true
        }
        guard advance(to: time) else { return false }
        poll.transport.enter(cycle: number)
        poll.cycle = number
        poll.answered = 0
        _ = poll.scheduler.cycleStarted(now: session.clock.date)
        let driver = poll.driver
        let phase = poll.transport.runner.start(name) { driver.runCycle(at: time) }
        polls[name] = poll
        collect(name, phase)
        return true
    }

    /// Hands the parked request of `exchange`'s cycle its recorded answer, after checking it is the recorded request.
    mutating func answer(_ exchange: RecordedExchange) -> Bool {
        guard var poll = polls[exchange.instance] else { return true }
        let name = exchange.instance
        guard case .parked(let asked) = poll.transport.runner.current, poll.cycle == exchange.cycle else {
            let left = (poll.recorded[exchange.cycle] ?? 0) - (poll.cycle == exchange.cycle ? poll.answered : 0)
            session.diverged(ReplayError(
                .diverged,
                "\(name) cycle \(exchange.cycle) ended without making \(left) recorded request(s); the first: \(exchange.requestLine)"))
            return true
        }
        guard asked == exchange.requestLine else {
            session.diverged(ReplayError(
                .diverged,
                "\(name) request \(poll.transport.asked) in cycle \(poll.cycle) differs from the recording: the plugin asked for \(asked); the recording has \(exchange.requestLine)"))
            return true
        }
        guard advance(to: exchange.time) else { return false }
        poll.answered += 1
        poll.answeredTotal += 1
        polls[name] = poll
        collect(name, poll.transport.runner.release(exchange.result))
        return true
    }

    /// The recording saw the cycle finish here: the replayed cycle must have finished too.
    mutating func endCycle(of name: String, number: Int, at time: Int64) -> Bool {
        guard let poll = polls[name] else { return true }
        guard advance(to: time) else { return false }
        if case .parked(let asked) = poll.transport.runner.current {
            session.diverged(ReplayError(
                .diverged,
                "\(name) made request \(poll.transport.asked) in cycle \(number), \(asked), but the recording has no further request there"))
        }
        return true
    }

    /// Ends `name`'s running cycle where the recording ends: its request fails and its retries stop, as they did when
    /// the recording run shut down.
    mutating func endCycle(of name: String) {
        guard let poll = polls[name], case .parked = poll.transport.runner.current else { return }
        poll.transport.cut.trigger()
        while case .parked = poll.transport.runner.current {
            collect(name, poll.transport.runner.release(ReplayTransport.divergedResult))
        }
    }

    /// Once the cycle has finished: records its outcome as the live loop does and leaves cycle mode.
    private mutating func collect(_ name: String, _ phase: ReplayPollRunner.Phase) {
        guard case .finished = phase, var poll = polls[name], let outcome = poll.transport.runner.collect() else { return }
        poll.driver.report(poll.scheduler.cycleFinished(now: session.clock.date, outcome: outcome))
        poll.transport.enter(cycle: 0)
        polls[name] = poll
        session.update { $0.cycles += 1 }
    }
}
