import Foundation
import NightshiftTestSupport
import Testing

/// The orders side of the stock bot end to end: unanswered, partially filled and rate-limited orders, the strategy's
/// own reasons for holding back, and the deployment's risk limits.
extension StockBotEndToEndTests {
    // MARK: - Order faults

    @Test func anOrderAcceptedButNeverAnsweredIsReconciledByQueryNotResubmitted() throws {
        try withAlpacaSims(orders: ["--timeout-after-accept", "1", "--hang", "5"]) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            // The POST is never repeated: an unanswered one is looked up by its client order id instead.
            deployment.brokerRetry = "{max_attempts: 1, attempt_timeout: 500ms}"
            let run = try deployment.run(for: "4s")
            Self.expectHealthyRun(run)

            #expect(run.count("order_unknown") == 1, "\(run.story)")
            let unknown = try #require(run.all("order_unknown").first, "\(run.story)")
            let id = try #require(unknown.text("client_order_id"))
            #expect(unknown.text("reason")?.contains("timed out") == true, "\(unknown.fields)")
            let reconciled = try #require(run.all("order_reconciled", order: id).first, "\(run.story)")
            #expect(reconciled.text("status") == "filled")
            #expect(run.all("trade_executed", order: id).map { $0.text("status") } == ["filled"])

            // The venue took exactly one POST per order the strategy placed: none repeated, none lost.
            let stats = try orders.counters()
            #expect(stats["timeouts"] == 1 && stats["duplicates"] == 0, "\(stats)")
            #expect(stats["orders"] == run.count("order_submitted"), "\(stats) \(run.story)")
        }
    }

    @Test func partialFillsAreTrackedToCompletion() throws {
        // Each order is accepted as new and fills a third per lookup; the host looks open orders up every second.
        try withAlpacaSims(orders: ["--partial", "--partial-steps", "3"]) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.strategies = [("momentum", StockBotDeployment.momentum(quantity: 3, maxPosition: 3))]
            let run = try deployment.run(for: "6s")
            Self.expectHealthyRun(run)

            let done = try #require(
                run.all("trade_executed").first { $0.text("status") == "filled" }, "\(run.story)")
            let id = try #require(done.text("client_order_id"))
            let fills = run.all("trade_executed", order: id)
            #expect(fills.map { $0.text("status") } == ["partially_filled", "partially_filled", "filled"])
            #expect(fills.map { $0.number("filled_qty") } == [1, 2, 3])
            #expect(fills.map { $0.number("remaining_qty") } == [2, 1, 0])
            let accepted = try #require(run.index(of: "order_accepted") { $0.text("client_order_id") == id })
            #expect(accepted < run.index(of: "trade_executed") { $0.text("client_order_id") == id }!)

            // No fill is counted twice: per order, the fills add up to the last cumulative quantity.
            for order in Set(run.all("trade_executed").compactMap { $0.text("client_order_id") }) {
                let fills = run.all("trade_executed", order: order)
                let total = fills.compactMap { $0.number("qty") }.reduce(0, +)
                #expect(total == fills.last?.number("filled_qty"), "order \(order)")
            }
            #expect(try orders.counters()["duplicates"] == 0)
        }
    }

    @Test func aRateLimitedOrderIsUnknownUntilALookupSettlesIt() throws {
        // The first two requests get 429: both attempts of the first order's POST, which the venue never acts on.
        try withAlpacaSims(orders: ["--rate-limit", "2"]) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.brokerRetry = "{max_attempts: 2, base_delay: 50ms, max_delay: 100ms, attempt_timeout: 2s}"
            deployment.notFoundGraceSeconds = 1
            let run = try deployment.run(for: "6s")
            Self.expectHealthyRun(run)

            let id = try #require(run.all("order_submitted").first?.text("client_order_id"), "\(run.story)")
            // The host retried the POST under the broker's policy (its client order id makes that safe)...
            #expect(run.all("attempt_failed").filter { $0.text("label") == "alpaca_order" }.count == 1, "\(run.story)")
            #expect(run.all("retry_exhausted").filter { $0.text("label") == "alpaca_order" }.count == 1)
            // ...then the broker's rule: after a 429 the outcome is unknown, and a lookup settles it. The venue never
            // saw the order, so once the grace period is over it is rejected, not resubmitted.
            #expect(run.count("order_unknown") == 1, "\(run.story)")
            let unknown = try #require(run.index(of: "order_unknown") { $0.text("client_order_id") == id })
            #expect(run.events[unknown].text("reason")?.contains("429") == true, "\(run.events[unknown].fields)")
            let reconciled = try #require(
                run.index(of: "order_reconciled", after: unknown) { $0.text("client_order_id") == id }, "\(run.story)")
            #expect(run.events[reconciled].text("status") == "rejected")
            #expect(run.events[reconciled].text("reason")?.contains("not found") == true)

            let stats = try orders.counters()
            #expect(stats["rate_limited"] == 2 && stats["duplicates"] == 0, "\(stats)")
            #expect(stats["orders"] == run.count("order_submitted") - 1, "every later order placed once: \(stats)")
        }
    }

    // MARK: - Why orders are not placed

    @Test func quoteMomentumSaysWhyItHeldBack() throws {
        // Orders stay open until the host's next lookup (once a second), long enough for an opposite signal to meet
        // an open order, and are filled in full by then. One lot is the whole allowance: after each filled buy, the
        // next signal either sells or meets the position limit, so on six symbols the limit is met many times.
        let faults = ["--partial", "--partial-steps", "3", "--fill-interval", "0.1"]
        try withAlpacaSims(stream: ["--rate", "40"], orders: faults) { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.quotes = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META"]
            deployment.strategies = [
                ("momentum", StockBotDeployment.momentum(quantity: 1, maxPosition: 1)),
                // The simulator's spread is about 4 bps: never narrow enough for this one.
                ("tight", StockBotDeployment.momentum(maxSpreadBps: 1)),
            ]
            let run = try deployment.run(for: "8s")
            Self.expectHealthyRun(run)

            let blocked = run.all("trade_blocked")
            let momentum = Set(blocked.filter { $0.instance == "momentum" }.compactMap { $0.text("reason") })
            let tight = Set(blocked.filter { $0.instance == "tight" }.compactMap { $0.text("reason") })
            #expect(momentum.isSuperset(of: ["max_position", "open_order"]), "\(momentum)")
            #expect(tight == ["spread_too_wide"], "\(tight)")
            #expect(run.all("order_submitted").allSatisfy { $0.instance == "momentum" }, "tight never traded")
            for event in blocked {
                #expect(event.text("symbol") != nil && event.text("side") != nil && event.number("spread_bps") != nil)
            }
        }
    }

    @Test func riskLimitsFromTheDeploymentBlockOrders() throws {
        try withAlpacaSims { stream, orders in
            var deployment = StockBotDeployment(streamPort: stream.port, ordersPort: orders.port)
            deployment.risk = "{max_order_qty: 5, max_orders_per_minute: 3}"
            deployment.strategies = [
                ("big", StockBotDeployment.momentum(quantity: 10, maxPosition: 10)),
                ("small", StockBotDeployment.momentum(quantity: 1, maxPosition: 100)),
            ]
            let run = try deployment.run(for: "5s")
            Self.expectHealthyRun(run)

            // The host's blocks (the strategy may add its own, such as open_order).
            let blocked = run.all("trade_blocked").filter { $0.message.hasPrefix("order blocked") }
            let big = Set(blocked.filter { $0.instance == "big" }.compactMap { $0.text("reason") })
            #expect(big == ["quantity 10 exceeds max_order_qty 5"], "\(big)")
            let small = Set(blocked.filter { $0.instance == "small" }.compactMap { $0.text("reason") })
            #expect(small == ["rate limit: 3 orders in the last minute"], "\(small)")

            // Three orders in the minute, all from the small strategy; the venue saw exactly those.
            let submitted = run.all("order_submitted")
            #expect(submitted.count == 3 && submitted.allSatisfy { $0.instance == "small" }, "\(run.story)")
            #expect(try orders.counters()["orders"] == 3)
        }
    }
}
