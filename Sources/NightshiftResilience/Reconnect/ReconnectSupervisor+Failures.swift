/// Disconnects, idle detection and the healthy-after timer.
extension ReconnectSupervisor {
    /// Records that the link went down (or a connect failed) at `now`, for `reason`.
    ///
    /// - Returns: `.reconnect` with the delay to wait, `.giveUp` when this failure reaches `maxConsecutiveFailures`,
    ///   or `nil` when no link was up or connecting (a duplicate report of the same drop).
    public mutating func disconnected(_ reason: String, now: MonotonicInstant) -> ReconnectAction? {
        switch state {
        case .connecting:
            break
        case .connected(let since, _):
            if now - since >= policy.healthyAfter { markHealthy() }
        case .idle, .waiting, .gaveUp, .stopped:
            return nil
        }
        isHealthy = false
        consecutiveFailures += 1
        guard consecutiveFailures < policy.maxConsecutiveFailures else {
            state = .gaveUp
            return .giveUp(consecutive: consecutiveFailures, reason: reason)
        }
        state = .waiting
        let delay = backoff.delay(forRetry: consecutiveFailures - 1, using: &jitter)
        return .reconnect(after: delay, consecutive: consecutiveFailures)
    }

    /// Advances the timers to `now`: marks a link healthy once it has been up for `healthyAfter`, and reports a link
    /// or connect silent for `idleTimeout` as `.stalled` (once per silence).
    public mutating func tick(now: MonotonicInstant) -> ReconnectAction? {
        let lastActivity: MonotonicInstant
        switch state {
        case .connecting(let since):
            lastActivity = since
        case .connected(let since, let lastData):
            if now - since >= policy.healthyAfter { markHealthy() }
            lastActivity = lastData ?? since
        case .idle, .waiting, .gaveUp, .stopped:
            return nil
        }
        let idle = now - lastActivity
        guard idle >= policy.idleTimeout, !stallReported else { return nil }
        stallReported = true
        return .stalled(idleFor: idle)
    }

    /// How long the shell may wait before the next `tick(now:)` can change anything, or `nil` if no timer is running.
    public func timeUntilNextCheck(now: MonotonicInstant) -> Duration? {
        var deadlines: [MonotonicInstant] = []
        switch state {
        case .connecting(let since):
            if !stallReported { deadlines.append(since + policy.idleTimeout) }
        case .connected(let since, let lastData):
            if !isHealthy { deadlines.append(since + policy.healthyAfter) }
            if !stallReported { deadlines.append((lastData ?? since) + policy.idleTimeout) }
        case .idle, .waiting, .gaveUp, .stopped:
            return nil
        }
        return deadlines.min().map { max(now.duration(to: $0), .zero) }
    }
}
