import Foundation
import NightshiftIO
import NightshiftResilience

/// Runs a replayed poll source's cycle on a thread of its own, in lockstep with the feeder.
///
/// Live, a frame can arrive while a poll request is in flight; the recording has the frame before the response.
/// To feed both in that order, a cycle runs on the runner's thread and each of its requests parks there until the
/// feeder reaches the response in the recording and releases it. Exactly one side runs at a time: the feeder waits
/// while the cycle runs up to its next request (or its end), and the cycle waits while the feeder feeds other
/// entries. So the interleaving is the recording's, every time.
final class ReplayPollRunner: @unchecked Sendable {  // all state is guarded by `condition`
    /// Where the cycle stands, as the feeder sees it between steps.
    enum Phase: Equatable {
        /// No cycle is running.
        case idle
        /// The cycle runs plugin code; the feeder waits.
        case running
        /// The cycle asked for this request (`METHOD url`, redacted) and waits for its answer.
        case parked(String)
        /// The cycle ended with this outcome; the feeder has not collected it yet.
        case finished(CycleOutcome)
    }

    private let condition = NSCondition()
    private var phase = Phase.idle
    private var answer: HTTPResult?

    /// Where the cycle stands now.
    var current: Phase {
        condition.lock()
        defer { condition.unlock() }
        return phase
    }

    // MARK: - The feeder's side

    /// Starts `cycle` on a new thread and returns once it has parked on a request or finished.
    func start(_ name: String, cycle: @escaping @Sendable () -> CycleOutcome) -> Phase {
        condition.lock()
        phase = .running
        condition.unlock()
        let thread = Thread { [self] in
            let outcome = cycle()
            condition.lock()
            phase = .finished(outcome)
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "replay.\(name)"
        thread.start()
        return waitWhileRunning()
    }

    /// Answers the parked request and returns once the cycle has parked again or finished.
    func release(_ result: HTTPResult) -> Phase {
        condition.lock()
        answer = result
        phase = .running
        condition.broadcast()
        condition.unlock()
        return waitWhileRunning()
    }

    /// Takes the finished cycle's outcome, leaving the runner idle.
    func collect() -> CycleOutcome? {
        condition.lock()
        defer { condition.unlock() }
        guard case .finished(let outcome) = phase else { return nil }
        phase = .idle
        return outcome
    }

    private func waitWhileRunning() -> Phase {
        condition.lock()
        defer { condition.unlock() }
        while phase == .running { condition.wait() }
        return phase
    }

    // MARK: - The cycle's side

    /// Parks the cycle's request `asked` until the feeder releases it, and returns the answer.
    func await(_ asked: String) -> HTTPResult {
        condition.lock()
        defer { condition.unlock() }
        phase = .parked(asked)
        condition.broadcast()
        while answer == nil { condition.wait() }
        let result = answer!
        answer = nil
        return result
    }
}
