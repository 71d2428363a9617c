import Foundation
import Testing
@testable import NightshiftConfig

/// The `leadership:` section: defaults, the lease key, secrets, and every error with its place.
@Suite struct LeadershipConfigTests {
    static func load(_ section: String, environment: [String: String] = [:]) throws -> Deployment {
        try ConfigLoader.load(
            text: "leadership:\n" + section, file: "/srv/bot/stock-bot.yaml", directory: "/srv/bot",
            environment: environment, credentialsDirectory: nil, hostName: "box-a")
    }

    @Test func absentSectionMeansAlone() throws {
        let deployment = try ConfigLoader.load(
            text: "risk: {}\n", file: "d.yaml", directory: "/srv/bot", environment: [:], credentialsDirectory: nil,
            hostName: "box-a")
        #expect(deployment.leadership == nil)
    }

    @Test func defaultsFollowTheFileTheHostAndTheLease() throws {
        let deployment = try Self.load("  database: postgres://bot:hunter22secret@127.0.0.1/bot\n  lease: 6s\n")
        let leadership = try #require(deployment.leadership)
        #expect(leadership.deployment == "stock-bot")
        #expect(leadership.node == "box-a")
        #expect(leadership.lease == .seconds(6))
        #expect(leadership.renewEvery == .seconds(2))
        #expect(leadership.standby == .warm)
        #expect(deployment.secrets.contains("hunter22secret"), "the database password is redacted like any secret")
    }

    @Test func everyKeyIsRead() throws {
        let deployment = try Self.load("""
              database: ${LEASE_DB}
              deployment: weather
              node: box-b
              lease: 4s
              renew_every: 500ms
              standby: cold

            """, environment: ["LEASE_DB": "host=127.0.0.1 dbname=bot"])
        let leadership = try #require(deployment.leadership)
        #expect(leadership.database == "host=127.0.0.1 dbname=bot")
        #expect(leadership.deployment == "weather" && leadership.node == "box-b")
        #expect(leadership.lease == .seconds(4) && leadership.renewEvery == .milliseconds(500))
        #expect(leadership.standby == .cold)
    }

    @Test func errorsNameTheirPlace() {
        let errors = loadErrors("""
            leadership:
              database: mysql://x
              lease: 10s
              renew_every: 10s
              standby: hot
              nodes: a

            """)
        #expect(errors.map(\.description) == [
            "d.yaml:2:13: error: leadership.database: expected a PostgreSQL connection string (postgres://… or key=value pairs)",
            "d.yaml:4:16: error: leadership.renew_every: must be above 0 and at most a third of lease (10s, so at most 3s333ms)",
            "d.yaml:5:12: error: leadership.standby: must be one of warm, cold, got \"hot\"",
            "d.yaml:6:3: error: unknown key 'nodes' in leadership; did you mean 'node'? "
                + "allowed keys: database, deployment, node, lease, renew_every, standby",
        ])
    }

    @Test func aMissingDatabaseAndAShortLeaseAreRefused() {
        let errors = loadErrors("leadership:\n  lease: 500ms\n  node: ''\n")
        #expect(errors.map(\.code) == [.missingKey, .invalidValue, .invalidValue])
        #expect(errors.map(\.description) == [
            "d.yaml:2:3: error: leadership: missing required key 'database'",
            "d.yaml:2:10: error: leadership.lease: must be at least 1s",
            "d.yaml:3:9: error: leadership.node: must be 1 to 200 characters",
        ])
    }
}
