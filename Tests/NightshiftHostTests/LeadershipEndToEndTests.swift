import Foundation
import NightshiftTestSupport
import Testing

/// Two real hosts for one deployment against one PostgreSQL and the Alpaca simulators: one leads, one stands by,
/// and a lost leader hands over without any order sent twice or sent by two epochs at once.
///
/// Needs `NIGHTSHIFT_TEST_PG_URL` (run through `scripts/with-postgres.sh`); fails without it. Each test uses its own
/// lease key. Orders are followed by their client order ids, which carry the epoch, into the simulator's book.
@Suite(.serialized) struct LeadershipEndToEndTests {
    /// The leader (`box-a`, started first) is SIGKILLed mid-stream; the standby takes over under a higher epoch.
    ///
    /// A warm standby runs its source and strategy all along (their orders refused); a cold one starts nothing until
    /// it leads.
    @Test(arguments: ["warm", "cold"]) func aKilledLeaderIsReplacedByTheStandbyUnderAHigherEpoch(standbyMode: String) throws {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        try withAlpacaSims { stream, orders in
            let pair = try LeadershipPair(streamPort: stream.port, ordersPort: orders.port, databaseURL: database)
            defer { pair.directory.remove() }
            let leader = try pair.start(try pair.config(node: "box-a"), for: "20s")
            Thread.sleep(forTimeInterval: 1.5)
            let standby = try pair.start(try pair.config(node: "box-b", standby: standbyMode), for: "9s")
            Thread.sleep(forTimeInterval: 3)
            leader.signal(SIGKILL)
            let killedAt = Date()
            let a = StockBotRun(leader.wait()), b = StockBotRun(standby.wait())
            #expect(a.status == SIGKILL + 128 || a.status == SIGKILL, "\(a.story)")
            #expect(b.status == 0, "\(b.story)")

            // The story: a leads, b stands by behind a, then b leads under a higher epoch, a named as previous.
            let aLead = try #require(a.all("leadership_acquired").first, "\(a.story)")
            let epochA = try #require(aLead.number("epoch"))
            let bWait = try #require(b.all("leadership_standby").first, "\(b.story)")
            #expect(bWait.text("holder") == "box-a" && bWait.number("epoch") == epochA)
            let bLead = try #require(b.all("leadership_acquired").first, "\(b.story)")
            let epochB = try #require(bLead.number("epoch"))
            #expect(epochB > epochA)
            #expect(bLead.text("previous") == "box-a" && bLead.text("node") == "box-b")
            #expect(b.count("leadership_lost") == 0 && b.count("leadership_released") == 1, "\(b.story)")
            // Taken over once the dead leader's lease expired in the database: within lease + one attempt + slack.
            let handover = try #require(ISO8601DateFormatter.micro.date(from: b.time(of: "leadership_acquired") ?? ""))
            #expect(handover.timeIntervalSince(killedAt) < 2 + 0.5 + 3, "lease 2s, renew_every 500ms")

            // Orders flowed under both epochs; the standby sent none before it led; each id carries its epoch.
            let aIDs = a.submittedIDs, bIDs = b.submittedIDs
            #expect(!aIDs.isEmpty && !bIDs.isEmpty, "\(a.story)\n\(b.story)")
            #expect(aIDs.allSatisfy { $0.contains("-e\(Int(epochA))-momentum-") })
            #expect(bIDs.allSatisfy { $0.contains("-e\(Int(epochB))-momentum-") })
            let firstOrder = try #require(b.index(of: "order_submitted"))
            #expect(b.index(of: "leadership_acquired")! < firstOrder)
            let promoted = b.index(of: "leadership_acquired")!
            let brokerStart = try #require(b.index(of: "plugin_started") { $0.instance == "alpaca-orders" }, "\(b.story)")
            #expect(brokerStart > promoted, "brokers start only once the lease is won")
            if standbyMode == "warm" {
                #expect(b.count("orders_suppressed_standby") >= 1, "the warm standby's strategy placed orders: \(b.story)")
                #expect(b.index(of: "stream_subscribed")! < promoted, "the warm standby's stream ran all along")
            } else {
                #expect(b.count("orders_suppressed_standby") == 0, "\(b.story)")
                #expect(b.index(of: "plugin_started")! > promoted, "a cold standby starts nothing before it leads")
            }
            #expect(b.all("order_submitted").allSatisfy { $0.text("node") == "box-b" })
            #expect(a.all("trade_executed").allSatisfy { $0.text("node") == "box-a" })

            // The venue saw every id once: nothing submitted twice, every order of b under b's epoch.
            let stats = try orders.counters()
            #expect(stats["duplicates"] == 0, "\(stats)")
            #expect(Set(aIDs + bIDs).count == aIDs.count + bIDs.count)
            for id in bIDs { #expect(try orders.alpacaOrder(id) != nil, "\(id)") }
            #expect(stats["orders"]! <= aIDs.count + bIDs.count && stats["orders"]! >= aIDs.count + bIDs.count - 1)

            // Both hosts wrote the handover into the one event store.
            let rows = try psqlRows(database, """
                SELECT host_instance, event_type, fields->>'epoch' FROM bot_events
                WHERE event_type IN ('leadership_acquired', 'leadership_standby') AND fields->>'deployment' = '\(pair.key)'
                ORDER BY created_at
                """)
            #expect(rows == [
                ["box-a", "leadership_acquired", "\(Int(epochA))"], ["box-b", "leadership_standby", "\(Int(epochA))"],
                ["box-b", "leadership_acquired", "\(Int(epochB))"],
            ])
        }
    }

    /// The leader's lease connection goes silent (a proxy blackholes it): the leader fences itself and stops orders
    /// strictly before the standby could take over, then exits 75 to come back as a standby.
    @Test func aLeaderCutOffItsDatabaseFencesItselfBeforeTheStandbyTakesOver() throws {
        try withLeaderBehindAProxy(leaderFor: "20s", standbyFor: "9s") { proxy, orders, leader, standby in
            Thread.sleep(forTimeInterval: 3)
            _ = try proxy.request("POST", "/_sim/blackhole")
            let a = StockBotRun(leader.wait()), b = StockBotRun(standby.wait())

            // a fenced itself (nothing confirmed its lease in time) and escalated; b then took over.
            #expect(a.status == 75, "\(a.story)")
            let lost = try #require(a.all("leadership_lost").first, "\(a.story)")
            #expect(lost.text("reason")?.contains("not confirmed") == true, "\(lost.fields)")
            let epochA = try #require(lost.number("epoch"))
            #expect(a.index(of: "host_escalated", after: a.index(of: "leadership_lost")!) != nil, "\(a.story)")
            let bLead = try #require(b.all("leadership_acquired").first, "\(b.story)")
            #expect(try #require(bLead.number("epoch")) > epochA)
            let lostAt = try #require(a.time(of: "leadership_lost"))
            let acquiredAt = try #require(b.time(of: "leadership_acquired"))
            #expect(lostAt < acquiredAt, "fenced at \(lostAt), taken over at \(acquiredAt)")

            // The venue's own clock: every order of a's epoch arrived before a fenced itself.
            let aIDs = a.submittedIDs
            #expect(!aIDs.isEmpty, "\(a.story)")
            #expect(aIDs.allSatisfy { $0.contains("-e\(Int(epochA))-") })
            for id in aIDs {
                guard let order = try orders.alpacaOrder(id) else { continue }
                let created = try #require(order["created_at"] as? String)
                #expect(created < lostAt, "order \(id) reached the venue at \(created), after the fence at \(lostAt)")
            }
            let fence = try #require(a.index(of: "leadership_lost"))
            #expect(a.index(of: "order_submitted", after: fence) == nil, "no order admitted after the fence")
            #expect(try orders.counters()["duplicates"] == 0)
            #expect(!b.submittedIDs.isEmpty, "\(b.story)")
        }
    }

    /// The leader's lease session is cut (as `pg_terminate_backend` would): it reconnects within its window and keeps
    /// leading under the same epoch; the standby never takes over.
    @Test func aLeaderWhoseSessionEndsReconnectsAndKeepsLeading() throws {
        try withLeaderBehindAProxy(leaderFor: "7s", standbyFor: "5s") { proxy, orders, leader, standby in
            Thread.sleep(forTimeInterval: 1.5)
            _ = try proxy.request("POST", "/_sim/cut")
            Thread.sleep(forTimeInterval: 1.5)
            _ = try proxy.request("POST", "/_sim/cut")
            let a = StockBotRun(leader.wait()), b = StockBotRun(standby.wait())

            #expect(a.status == 0 && b.status == 0, "\(a.story)\n\(b.story)")
            #expect(a.count("leadership_lost") == 0, "\(a.story)")
            #expect(b.count("leadership_acquired") == 0 && b.count("order_submitted") == 0, "\(b.story)")
            #expect(try proxy.counters()["connections"]! >= 3, "the leader connected again after each cut")
            let epochA = try #require(a.all("leadership_acquired").first?.number("epoch"))
            let later = a.all("order_submitted").suffix(3)
            #expect(!later.isEmpty && later.allSatisfy { $0.text("client_order_id")?.contains("-e\(Int(epochA))-") == true })
            #expect(try orders.counters()["duplicates"] == 0)
        }
    }

    /// The server ends the leader's lease backend twice (`pg_terminate_backend`, as an operator or a failover tool
    /// would): the leader connects again within its lease, keeps leading under the same epoch, and the standby
    /// never takes over.
    @Test func aLeaderWhoseBackendIsTerminatedReconnectsAndKeepsLeading() throws {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        try withAlpacaSims { stream, orders in
            let pair = try LeadershipPair(streamPort: stream.port, ordersPort: orders.port, databaseURL: database)
            defer { pair.directory.remove() }
            let leader = try pair.start(try pair.config(node: "box-terminated"), for: "7s")
            Thread.sleep(forTimeInterval: 1.5)
            let standby = try pair.start(try pair.config(node: "box-b"), for: "5s")
            var terminated: [String] = []
            for _ in 0..<2 {
                Thread.sleep(forTimeInterval: 1.5)
                let rows = try psqlRows(database, """
                    SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'nightshift-lease:box-terminated'
                    """)
                terminated += rows.filter { $0.last == "t" }.map { $0[0] }
            }
            let a = StockBotRun(leader.wait()), b = StockBotRun(standby.wait())

            #expect(Set(terminated).count == 2, "one backend ended each time, a new one the second: \(terminated)")
            #expect(a.status == 0 && b.status == 0, "\(a.story)\n\(b.story)")
            #expect(a.count("leadership_lost") == 0, "\(a.story)")
            #expect(b.count("leadership_acquired") == 0 && b.count("order_submitted") == 0, "\(b.story)")
            let epochA = try #require(a.all("leadership_acquired").first?.number("epoch"))
            let later = a.all("order_submitted").suffix(3)
            #expect(!later.isEmpty && later.allSatisfy { $0.text("client_order_id")?.contains("-e\(Int(epochA))-") == true })
            #expect(try orders.counters()["duplicates"] == 0)
        }
    }

    /// Starts the leader (`box-a`, its lease connection through a TCP proxy the test controls), then 1.5 s later the
    /// standby (`box-b`), against the Alpaca simulators; `body` gets the proxy, the orders simulator and both hosts.
    private func withLeaderBehindAProxy(
        leaderFor: String, standbyFor: String,
        _ body: (_ proxy: ScriptProcess, _ orders: ScriptProcess, _ leader: CLIProcess.Running,
                 _ standby: CLIProcess.Running) throws -> Void
    ) throws {
        let database = try #require(LeadershipPair.databaseURL, "run through scripts/with-postgres.sh")
        let port = try #require(URLComponents(string: database)?.port)
        try withAlpacaSims { stream, orders in
            try withScript("peers/tcp_proxy.py", arguments: ["--target-port", "\(port)"]) { proxy in
                let pair = try LeadershipPair(streamPort: stream.port, ordersPort: orders.port, databaseURL: database)
                defer { pair.directory.remove() }
                let proxyPort = try #require(try proxy.counters()["proxy_port"])
                let leader = try pair.start(
                    try pair.config(node: "box-a", leaseURL: pair.url(throughPort: proxyPort)), for: leaderFor)
                Thread.sleep(forTimeInterval: 1.5)
                let standby = try pair.start(try pair.config(node: "box-b"), for: standbyFor)
                try body(proxy, orders, leader, standby)
            }
        }
    }
}

extension ISO8601DateFormatter {
    /// Parses the event lines' `time` (RFC 3339 with fractional seconds).
    nonisolated(unsafe) static let micro: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
