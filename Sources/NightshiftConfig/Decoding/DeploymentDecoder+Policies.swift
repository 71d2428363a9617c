/// Decoding of the policy sections (`defaults:` and per-instance overrides).
///
/// Each decoder starts from a base value and overwrites only the keys present, which is exactly the key-by-key merge
/// of an instance's overrides over the host-wide defaults.
extension DeploymentDecoder {
    mutating func decodeDefaults(_ node: YAMLNode, path: String) -> PolicyDefaults {
        var defaults = PolicyDefaults()
        let allowed = ["retry", "reconnect", "restart", "call_deadline"]
        guard let reader = MappingReader(node, path: path, allowed: allowed, diagnostics: &diagnostics) else {
            return defaults
        }
        if let node = reader.value("retry") {
            defaults.retry = decodeRetry(node, path: "\(path).retry", over: defaults.retry)
        }
        if let node = reader.value("reconnect") {
            defaults.reconnect = decodeReconnect(node, path: "\(path).reconnect", over: defaults.reconnect)
        }
        if let node = reader.value("restart") {
            defaults.restart = decodeRestart(node, path: "\(path).restart", over: defaults.restart)
        }
        if let deadline = reader.duration("call_deadline", &diagnostics) { defaults.callDeadline = deadline }
        return defaults
    }

    mutating func decodeRetry(_ node: YAMLNode, path: String, over base: RetrySettings) -> RetrySettings {
        var retry = base
        let allowed = [
            "max_attempts", "base_delay", "multiplier", "max_delay", "jitter", "attempt_timeout", "deadline", "budget",
        ]
        guard let reader = MappingReader(node, path: path, allowed: allowed, diagnostics: &diagnostics) else {
            return retry
        }
        if let value = reader.integer("max_attempts", in: 1...1_000, &diagnostics) { retry.maxAttempts = value }
        if let value = reader.duration("base_delay", &diagnostics) { retry.baseDelay = value }
        if let value = reader.number("multiplier", in: 1...100, &diagnostics) { retry.multiplier = value }
        if let value = reader.duration("max_delay", &diagnostics) { retry.maxDelay = value }
        if let value: Jitter = reader.choice("jitter", &diagnostics) { retry.jitter = value }
        if let value = reader.duration("attempt_timeout", &diagnostics) { retry.attemptTimeout = value }
        if let value = reader.duration("deadline", &diagnostics) { retry.deadline = value }
        if let node = reader.value("budget"),
            let budget = MappingReader(
                node, path: "\(path).budget", allowed: ["max_tokens", "token_ratio"], diagnostics: &diagnostics)
        {
            if let value = budget.number("max_tokens", in: 0...1_000_000, &diagnostics) {
                retry.budget.maxTokens = value
            }
            if let value = budget.number("token_ratio", in: 0...1_000, &diagnostics) { retry.budget.tokenRatio = value }
        }
        if retry.maxDelay < retry.baseDelay {
            diagnostics.report(.invalidValue, "\(path): max_delay must not be shorter than base_delay", at: node.mark)
        }
        return retry
    }

    mutating func decodeReconnect(_ node: YAMLNode, path: String, over base: ReconnectSettings) -> ReconnectSettings {
        var reconnect = base
        let allowed = [
            "base_delay", "multiplier", "max_delay", "jitter", "max_consecutive_failures", "healthy_after",
            "idle_timeout",
        ]
        guard let reader = MappingReader(node, path: path, allowed: allowed, diagnostics: &diagnostics) else {
            return reconnect
        }
        if let value = reader.duration("base_delay", &diagnostics) { reconnect.baseDelay = value }
        if let value = reader.number("multiplier", in: 1...100, &diagnostics) { reconnect.multiplier = value }
        if let value = reader.duration("max_delay", &diagnostics) { reconnect.maxDelay = value }
        if let value: Jitter = reader.choice("jitter", &diagnostics) { reconnect.jitter = value }
        if let value = reader.integer("max_consecutive_failures", in: 1...1_000_000, &diagnostics) {
            reconnect.maxConsecutiveFailures = value
        }
        if let value = reader.duration("healthy_after", &diagnostics) { reconnect.healthyAfter = value }
        if let value = reader.duration("idle_timeout", &diagnostics) { reconnect.idleTimeout = value }
        if reconnect.maxDelay < reconnect.baseDelay {
            diagnostics.report(.invalidValue, "\(path): max_delay must not be shorter than base_delay", at: node.mark)
        }
        return reconnect
    }

    mutating func decodeRestart(_ node: YAMLNode, path: String, over base: RestartSettings) -> RestartSettings {
        var restart = base
        guard
            let reader = MappingReader(
                node, path: path, allowed: ["max_restarts", "within"], diagnostics: &diagnostics)
        else { return restart }
        if let value = reader.integer("max_restarts", in: 0...1_000_000, &diagnostics) { restart.maxRestarts = value }
        if let value = reader.duration("within", &diagnostics) { restart.within = value }
        return restart
    }
}
