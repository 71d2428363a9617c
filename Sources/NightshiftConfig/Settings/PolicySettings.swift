/// How much randomness spreads out retry and reconnect delays.
public enum Jitter: String, Sendable, Hashable, CaseIterable {
    /// Exactly the computed delay.
    case none
    /// A uniform delay between zero and the computed delay (the default: best at spreading a thundering herd).
    case full
    /// Half the computed delay plus a uniform share of the other half.
    case equal
    /// Decorrelated jitter: each delay drawn from `base…previous×3`.
    case decorrelated
}

/// The retry wrapper's policy for one plugin instance's calls (HTTP requests, plugin calls that return `retry`).
///
/// Plain values for the host to map onto the resilience module's types; the defaults match the design notes.
public struct RetrySettings: Sendable, Hashable {
    /// Attempts in total, the first included.
    public var maxAttempts = 5
    /// The delay before the first retry.
    public var baseDelay: Duration = .milliseconds(500)
    /// The factor each further delay grows by.
    public var multiplier = 2.0
    /// The cap on any single delay.
    public var maxDelay: Duration = .seconds(30)
    /// How delays are randomised.
    public var jitter = Jitter.full
    /// The time one attempt may take.
    public var attemptTimeout: Duration = .seconds(10)
    /// The time all attempts together may take.
    public var deadline: Duration = .seconds(120)
    /// The retry budget that stops retry storms.
    public var budget = RetryBudgetSettings()

    public init() {}
}

/// A token-bucket retry budget: retries spend tokens, successes earn a fraction back.
public struct RetryBudgetSettings: Sendable, Hashable {
    /// The bucket's capacity.
    public var maxTokens = 10.0
    /// Tokens earned per successful call.
    public var tokenRatio = 0.1

    public init() {}
}

/// The reconnect supervisor's policy for one streaming instance.
public struct ReconnectSettings: Sendable, Hashable {
    /// The delay before the first reconnect.
    public var baseDelay: Duration = .seconds(1)
    /// The factor each further delay grows by.
    public var multiplier = 2.0
    /// The cap on any single delay.
    public var maxDelay: Duration = .seconds(60)
    /// How delays are randomised.
    public var jitter = Jitter.full
    /// Failures in a row after which the instance is escalated (stopped per the restart policy).
    public var maxConsecutiveFailures = 10
    /// How long a link must stay up before the failure count resets.
    public var healthyAfter: Duration = .seconds(30)
    /// Silence after which a link counts as half-open and is dropped.
    public var idleTimeout: Duration = .seconds(30)

    public init() {}
}

/// Restart intensity: at most `maxRestarts` restarts within `within`, then escalate (OTP style).
public struct RestartSettings: Sendable, Hashable {
    /// Restarts allowed in the window.
    public var maxRestarts = 5
    /// The sliding window.
    public var within: Duration = .seconds(60)

    public init() {}
}

/// The host-wide policies every instance starts from; each is overridable per instance key by key.
public struct PolicyDefaults: Sendable, Hashable {
    public var retry = RetrySettings()
    public var reconnect = ReconnectSettings()
    public var restart = RestartSettings()
    /// A plugin call that takes longer than this is reported and escalated.
    public var callDeadline: Duration = .seconds(10)

    public init() {}
}
