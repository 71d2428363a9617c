/// The lease row's statements: one row per deployment key, whose holder, epoch and expiry the database decides.
///
/// A row, not an advisory lock: a session lock lives as long as the server believes the session does, which after a
/// dead peer is minutes; a row expires by the database's clock however the holder vanished. Every value is a
/// parameter; nothing is ever formatted into the SQL text.
struct LeaseTable {
    /// What an acquire attempt found.
    struct Attempt: Equatable {
        /// Whether this node now holds the lease.
        var won: Bool
        /// The holder after the attempt (this node when won), nil when no row exists.
        var holder: String?
        var epoch: Int64?
        /// Who held the row before (when won), for the `leadership_acquired` event.
        var previous: String?
    }

    let connection: LeaseConnection
    let deployment: String
    let node: String
    /// The lease duration in milliseconds, as a parameter of every statement.
    let leaseMilliseconds: Int64

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS nightshift_leadership (
            deployment text PRIMARY KEY, node text NOT NULL, epoch bigint NOT NULL, expires_at timestamptz NOT NULL)
        """

    /// The table's name when it exists (in the search path), else NULL.
    static let existsSQL = "SELECT to_regclass('nightshift_leadership')::text"

    /// Takes an expired (or absent) lease, bumping the epoch, and reports the holder either way.
    ///
    /// The lease is taken only once it has expired, even from a row naming this same node: two processes must never
    /// believe they hold one lease, and a restarted process must not inherit its predecessor's epoch.
    static let acquireSQL = """
        WITH previous AS (SELECT node, epoch FROM nightshift_leadership WHERE deployment = $1),
        taken AS (
            INSERT INTO nightshift_leadership AS l (deployment, node, epoch, expires_at)
            VALUES ($1, $2, 1, now() + $3::bigint * interval '1 millisecond')
            ON CONFLICT (deployment) DO UPDATE
                SET node = EXCLUDED.node, epoch = l.epoch + 1, expires_at = EXCLUDED.expires_at
                WHERE l.expires_at < now()
            RETURNING node, epoch)
        SELECT 't', taken.node, taken.epoch, (SELECT node FROM previous) FROM taken
        UNION ALL
        SELECT 'f', previous.node, previous.epoch, NULL FROM previous WHERE NOT EXISTS (SELECT 1 FROM taken)
        """

    /// Extends the lease, only for the same holder and epoch.
    static let renewSQL = """
        UPDATE nightshift_leadership SET expires_at = now() + $4::bigint * interval '1 millisecond'
        WHERE deployment = $1 AND node = $2 AND epoch = $3
        """

    /// Ends the lease at once (a clean stop), only for the same holder and epoch.
    static let releaseSQL = """
        UPDATE nightshift_leadership SET expires_at = now() - interval '1 millisecond'
        WHERE deployment = $1 AND node = $2 AND epoch = $3 RETURNING epoch
        """

    /// Creates the table if it is missing (safe to repeat, and two hosts may race to it).
    func ensureTable() throws(LeaseError) {
        // A role without CREATE on the schema fails even `CREATE TABLE IF NOT EXISTS`; a table made by hand is enough.
        let existing = try connection.query(Self.existsSQL, []).first?.first ?? nil
        if existing != nil { return }
        do {
            _ = try connection.query(Self.createSQL, [])
        } catch where error.code == .statementFailed {
            // Two hosts creating it at once: one statement fails on the catalog's unique index; the table exists now.
            _ = try connection.query(Self.createSQL, [])
        }
    }

    func acquire() throws(LeaseError) -> Attempt {
        let rows = try connection.query(Self.acquireSQL, [deployment, node, String(leaseMilliseconds)])
        guard let row = rows.first, row.count == 4 else { return Attempt(won: false) }
        return Attempt(won: row[0] == "t", holder: row[1], epoch: row[2].flatMap { Int64($0) }, previous: row[3])
    }

    /// - Returns: false when no row matched: the lease now belongs to another holder or epoch.
    func renew(epoch: Int64) throws(LeaseError) -> Bool {
        let rows = try connection.query(
            Self.renewSQL + " RETURNING epoch", [deployment, node, String(epoch), String(leaseMilliseconds)])
        return !rows.isEmpty
    }

    func release(epoch: Int64) throws(LeaseError) {
        _ = try connection.query(Self.releaseSQL, [deployment, node, String(epoch)])
    }
}
