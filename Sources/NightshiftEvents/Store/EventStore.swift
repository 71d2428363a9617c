/// A database that holds the event log: SQLite embedded, PostgreSQL in production.
///
/// Every method may be called from any thread; implementations serialise access to their connection. `insert` is
/// idempotent on the event id, which is what lets the writer deliver at least once without duplicating anything.
public protocol EventStore: Sendable {
    /// Brings the schema up to date; returns the migration versions applied now (empty when already current).
    ///
    /// Safe to call at every start and from several processes at once.
    @discardableResult
    func migrate() throws -> [Int]

    /// Inserts `batch` in one transaction, skipping events whose id is already stored; returns how many were new.
    ///
    /// - Throws: `EventStoreError`; `connectionLost`/`connectionFailed` mean the store is away and the batch was not
    ///   (or not knowably) written, so the caller keeps it and tries again later.
    @discardableResult
    func insert(_ batch: [EventRecord]) throws -> Int

    /// Events matching `filter`, ordered by time (oldest first unless `filter.newestFirst`).
    func query(_ filter: EventFilter) throws -> [EventRecord]

    /// One row per event type seen in `[since, until)`, most frequent first: the morning check.
    func summary(since: Int64, until: Int64?) throws -> [EventSummaryRow]

    /// Events with an id after `id` in id order, at most `limit`; with `id` nil, the latest `limit` events.
    func tail(after id: String?, limit: Int) throws -> [EventRecord]
}

extension EventStore {
    /// One row per event type seen since `since` (microseconds since the epoch).
    public func summary(since: Int64) throws -> [EventSummaryRow] {
        try summary(since: since, until: nil)
    }
}

/// Which events a query returns; every condition given must hold.
public struct EventFilter: Sendable, Hashable {
    /// Event types to include; empty means all.
    public var eventTypes: [String] = []
    /// Only events from this source (plugin name or `host`).
    public var source: String?
    /// Only events from this instance.
    public var instance: String?
    /// Only events at this level or more severe.
    public var minimumLevel: EventLevel?
    /// Only events from this process run.
    public var runId: String?
    /// Only events created at or after this instant (microseconds since the epoch).
    public var since: Int64?
    /// Only events created before this instant.
    public var until: Int64?
    /// At most this many events.
    public var limit: Int = 1_000
    /// Newest first (for "the last 50 errors"); oldest first otherwise.
    public var newestFirst = false

    /// Creates a filter; with no arguments it matches the first 1,000 events.
    public init(
        eventTypes: [String] = [],
        source: String? = nil,
        instance: String? = nil,
        minimumLevel: EventLevel? = nil,
        runId: String? = nil,
        since: Int64? = nil,
        until: Int64? = nil,
        limit: Int = 1_000,
        newestFirst: Bool = false
    ) {
        self.eventTypes = eventTypes
        self.source = source
        self.instance = instance
        self.minimumLevel = minimumLevel
        self.runId = runId
        self.since = since
        self.until = until
        self.limit = limit
        self.newestFirst = newestFirst
    }
}

/// How often one event type occurred in a period, and when first and last.
public struct EventSummaryRow: Sendable, Hashable {
    /// The event type.
    public var eventType: String
    /// How many events of the type.
    public var count: Int
    /// The earliest `createdAt` among them.
    public var firstSeen: Int64
    /// The latest `createdAt` among them.
    public var lastSeen: Int64

    /// Creates a row.
    public init(eventType: String, count: Int, firstSeen: Int64, lastSeen: Int64) {
        self.eventType = eventType
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
