/// What the writer believes about its store: reachable or not, migrated or not, and when to try again.
///
/// A pure value updated by the writer's thread after each attempt. While the store is away the writer waits
/// `retryInterval` between attempts, so an outage costs one failed connect per interval rather than one per batch;
/// a flush may force one attempt sooner.
struct StoreLink {
    /// Whether the last attempt succeeded.
    private(set) var isAvailable = true
    /// Whether `migrate()` has succeeded on this store.
    var isMigrated = false
    /// The earliest next attempt after a failure.
    private(set) var nextAttempt: ContinuousClock.Instant
    let retryInterval: Duration

    init(retryInterval: Duration, now: ContinuousClock.Instant) {
        self.retryInterval = retryInterval
        nextAttempt = now
    }

    /// Whether to try the store now.
    func mayAttempt(at now: ContinuousClock.Instant, forced: Bool) -> Bool {
        isAvailable || forced || now >= nextAttempt
    }

    /// Records a failed attempt; returns whether this begins an outage (the store was believed available).
    mutating func failed(at now: ContinuousClock.Instant, schemaSuspect: Bool) -> Bool {
        defer {
            isAvailable = false
            nextAttempt = now + retryInterval
            if schemaSuspect { isMigrated = false }
        }
        return isAvailable
    }

    /// Records a successful attempt; returns whether this ends an outage.
    mutating func succeeded() -> Bool {
        defer { isAvailable = true }
        return !isAvailable
    }
}
