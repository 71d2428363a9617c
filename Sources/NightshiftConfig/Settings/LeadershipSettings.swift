/// The optional `leadership:` section: two or more hosts run the same deployment and exactly one of them leads.
///
/// The leader holds a lease row in PostgreSQL and renews it; the others stand by. Only the leader starts brokers and
/// sends orders. Without the section a host runs alone and always leads, as before.
public struct LeadershipSettings: Sendable, Hashable {
    /// What a standby host runs while it waits.
    public enum Standby: String, Sendable, Hashable, CaseIterable {
        /// Sources and strategies run (their state stays current); orders are refused without reaching a broker.
        case warm
        /// Nothing runs until the lease is won.
        case cold
    }

    /// The PostgreSQL connection string of the lease table (a secret: its password is redacted everywhere).
    public var database: String
    /// The lease's key: hosts with the same key compete for one lease (default: the deployment file's base name).
    public var deployment: String
    /// This host's name in the lease row and on order events (default: `host.name`, the machine's hostname).
    public var node: String
    /// How long a lease lasts after each renewal, measured by the database's clock.
    public var lease: Duration = .seconds(10)
    /// How often the leader renews and a standby tries to take over (default and maximum: a third of `lease`).
    /// It is also the leader's safety margin (a lease is trusted for `lease - renewEvery` after the request that
    /// confirmed it was sent) and twice each lease statement's deadline.
    public var renewEvery: Duration = .nanoseconds(10_000_000_000 / 3)
    /// What a standby runs.
    public var standby: Standby = .warm

    public init(database: String, deployment: String, node: String) {
        self.database = database
        self.deployment = deployment
        self.node = node
    }
}
