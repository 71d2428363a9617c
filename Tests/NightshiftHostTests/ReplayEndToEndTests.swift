import Foundation
import NightshiftEvents
import NightshiftTestSupport
import Testing
@testable import NightshiftHost

/// `nightshift record` against real peers on 127.0.0.1, then `nightshift replay` of that recording with the peers gone:
/// the same plugins make the same decisions, on the recording's clock, every time, and the summary is the event rows.
@Suite(.serialized) struct ReplayEndToEndTests {
    /// (strategy, symbol, side) of every `order_submitted`, in a stable order.
    private static func decisions(_ rows: [(String, String, String)]) -> [String] {
        rows.map { "\($0.0) \($0.1) \($0.2)" }.sorted()
    }

    @Test func aReplayReproducesTheRecordedRunsDecisionsWithoutANetwork() throws {
        let fixture = try ReplayFixture()
        defer { fixture.remove() }
        let environment = ["QUOTES_API_KEY": ReplayFixture.apiKey]
        let recording = fixture.directory.path + "/run.jsonl"

        // Record about two seconds of the live deployment.
        let http = try ScriptProcess.start("peers/http_peer.py")
        let ws = try ScriptProcess.start("peers/ws_peer.py")
        let live = try fixture.writeDeployment(httpPort: http.port, wsPort: ws.port, apiKey: true)
        let recorded = try CLIProcess.run(["record", live, "-o", recording, "--for", "2s"], environment: environment)
        // No network from here on: a replay that tried to reach the peers would fail.
        http.stop()
        ws.stop()
        #expect(recorded.status == 0, "stderr: \(recorded.stderr)")
        let liveEvents = ReplayFixture.events(recorded.stdout)
        let liveOrders = liveEvents.filter { $0["type"] as? String == "order_submitted" }.map { event in
            let fields = event["fields"] as? [String: Any] ?? [:]
            return (event["instance"] as? String ?? "", fields["symbol"] as? String ?? "", fields["side"] as? String ?? "")
        }
        let liveBlocked = liveEvents.filter { $0["type"] as? String == "trade_blocked" && $0["instance"] as? String == "dip-msft" }.count
        // Both sources carried data and both strategies acted on it.
        #expect(liveOrders.contains { $0.0 == "dip-aapl" })
        #expect(liveBlocked > 0)

        // The recording holds every kind of entry, and never the key that went out in URLs, headers and logins.
        let text = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(!text.contains(ReplayFixture.apiKey))
        let file = try Recording.read(path: recording)
        #expect(file.header.deployment == live)
        #expect(file.header.instances.map(\.name) == ["venue", "rates", "trades", "dip-aapl", "dip-msft", "streaks"])
        let types = Set(file.entries.map { entry -> String in
            switch entry {
            case .header: "header"
            case .cycle: "cycle"
            case .cycleEnd: "cycle_end"
            case .http: "http"
            case .open: "open"
            case .frame: "frame"
            case .close: "close"
            }
        })
        #expect(types.isSuperset(of: ["cycle", "cycle_end", "http", "open", "frame", "close"]))
        let exchanges = file.entries.compactMap { if case .http(let exchange) = $0 { exchange } else { nil } }
        #expect(exchanges.allSatisfy { $0.instance == "rates" && $0.cycle > 0 && $0.status == 200 })
        #expect(exchanges.first?.url.contains("key=[REDACTED]") == true)
        #expect(exchanges.first?.headers.contains { $0.name == "content-type" } == true)

        // Replay as fast as possible: the c-threshold strategies, whose decisions depend on the quotes alone, decide
        // exactly as they did live. (The example strategy's depend on its fills, and the live broker was not a paper
        // broker.)
        let first = try fixture.replay(live, from: recording, environment: environment)
        #expect(first.result.status == 0, "stderr: \(first.result.stderr)")
        let replayedOrders = first.rows("order_submitted").map { ($0.instance, $0.text("symbol") ?? "", $0.text("side") ?? "") }
        let quoteDriven: Set = ["dip-aapl", "dip-msft"]
        #expect(Self.decisions(replayedOrders.filter { quoteDriven.contains($0.0) })
            == Self.decisions(liveOrders.filter { quoteDriven.contains($0.0) }))
        #expect(replayedOrders.contains { $0.0 == "streaks" })
        #expect(first.rows("trade_blocked").filter { $0.instance == "dip-msft" }.count == liveBlocked)
        #expect(first.rows("replay_diverged").isEmpty)
        // The brokers were paper brokers: fills at the recorded quotes, and the live broker never saw an order.
        #expect(first.rows("trade_executed").count == replayedOrders.count)
        #expect(first.rows("venue_submit").isEmpty)

        // now_ns followed the recording: each quote carries the time its response or frame arrived when recorded.
        let quotes = first.rows("quote_seen")
        let responseTimes = exchanges.map(\.time)
        let tradeTimes = file.entries.compactMap { entry -> Int64? in
            if case .frame(_, _, let time, let text) = entry, text.contains(#""T": "t""#) { return time }
            return nil
        }
        #expect(quotes.filter { $0.instance == "rates" }.compactMap { $0.fields["now_ns"]?.intValue } == responseTimes)
        #expect(quotes.filter { $0.instance == "trades" }.compactMap { $0.fields["now_ns"]?.intValue } == tradeTimes)

        // The summary's numbers are the event rows' numbers.
        try Self.expectSummary(first)

        // Again, paced at 10x: exactly the same orders, fills and prices, the example strategy's included.
        let second = try fixture.replay(live, from: recording, speed: "10x", environment: environment)
        #expect(second.result.status == 0, "stderr: \(second.result.stderr)")
        #expect(Self.trades(second) == Self.trades(first))
        #expect(second.rows("order_submitted").map(\.instance) == first.rows("order_submitted").map(\.instance))
        let symbols = try #require(first.summary["symbols"] as? [[String: Any]])
        #expect(NSArray(array: symbols).isEqual(to: second.summary["symbols"] as? [[String: Any]] ?? []))
    }

    /// Every fill as (strategy, symbol, side, filled, price), in event order.
    private static func trades(_ replayed: ReplayFixture.Replayed) -> [String] {
        replayed.rows("trade_executed").map {
            "\($0.instance) \($0.text("symbol") ?? "") \($0.text("side") ?? "") \($0.number("filled_qty") ?? 0) \($0.number("price") ?? 0)"
        }
    }

    /// Checks the printed summary against the rows in the replay's store.
    private static func expectSummary(_ replayed: ReplayFixture.Replayed) throws {
        let summary = replayed.summary
        #expect(summary["orders"] as? Int == replayed.rows("order_submitted").count)
        #expect(summary["fills"] as? Int == replayed.rows("trade_executed").count)
        #expect(summary["rejected"] as? Int == replayed.rows("order_rejected").count)
        var blocked: [String: Int] = [:]
        for row in replayed.rows("trade_blocked") { blocked[row.text("reason") ?? "", default: 0] += 1 }
        #expect(summary["blocked"] as? [String: Int] == blocked)
        #expect(summary["entries_replayed"] as? Int ?? 0 > 0)

        // PnL per symbol from the fills (cumulative quantity and average price per order) and the last quote.
        var cash: [String: Double] = [:], position: [String: Double] = [:]
        var seen: [String: (Double, Double)] = [:]
        for row in replayed.rows("trade_executed") {
            let id = row.text("client_order_id") ?? "", symbol = row.text("symbol") ?? ""
            let quantity = row.number("filled_qty") ?? 0, notional = quantity * (row.number("price") ?? 0)
            let (before, spent) = seen[id] ?? (0, 0)
            seen[id] = (quantity, notional)
            let sign = row.text("side") == "sell" ? -1.0 : 1.0
            position[symbol, default: 0] += sign * (quantity - before)
            cash[symbol, default: 0] -= sign * (notional - spent)
        }
        var lastPrice: [String: Double] = [:]
        for row in replayed.rows("quote_seen") {
            let symbol = row.instance == "rates" ? "AAPL" : "MSFT"
            lastPrice[symbol] = Double(row.text("price") ?? "")
        }
        let symbols = try #require(summary["symbols"] as? [[String: Any]])
        #expect(symbols.map { $0["symbol"] as? String } == position.keys.sorted())
        for line in symbols {
            let symbol = try #require(line["symbol"] as? String)
            let expected = (cash[symbol] ?? 0) + (position[symbol] ?? 0) * (lastPrice[symbol] ?? 0)
            #expect(line["position"] as? Double == position[symbol])
            #expect(abs((line["pnl"] as? Double ?? .nan) - expected) < 1e-6)
            #expect(line["last_price"] as? Double == lastPrice[symbol])
        }
    }
}
