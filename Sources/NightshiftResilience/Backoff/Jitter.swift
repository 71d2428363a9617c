/// How a backoff delay is randomised around its exponential ceiling.
///
/// With `ceiling = min(maxDelay, baseDelay × multiplier^n)` for the n-th retry (n from 0):
/// - `none`: exactly `ceiling`. Predictable, but clients that failed together retry together.
/// - `full`: uniform in `0 ... ceiling`. The AWS "full jitter" variant; the least total load on a recovering server,
///   and the default.
/// - `equal`: `ceiling / 2` plus uniform in `0 ... ceiling / 2`. Never retries sooner than half the ceiling.
/// - `decorrelated`: uniform in `baseDelay ... previous × 3`, capped at `maxDelay`, where `previous` is the delay
///   drawn last time (initially `baseDelay`). Grows from its own history rather than from n.
public enum Jitter: String, Sendable, Hashable, CaseIterable {
    case none
    case full
    case equal
    case decorrelated
}
