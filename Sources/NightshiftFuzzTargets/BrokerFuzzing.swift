import NightshiftKit
import NightshiftKitTesting

/// Shared driving for the broker targets: the input picks an order, a status and a call; the rest is the reply.
enum BrokerFuzzing {
    /// Submits an order or queries one (by the input's choice bytes) with every HTTP request answered by the input.
    ///
    /// Invariants, besides the ABI contract: an update names the order it answers, and fill quantities are never
    /// negative.
    static func run(_ harness: PluginHarness, ticker: String, outcome: Order.Outcome, _ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let call = input.byte()
        let status = input.pick(PluginFuzzing.statuses)
        let id = "run1-fuzz-\(input.byte())"
        let order = Order(
            symbol: harness.host.symbol(ticker), side: call & 2 == 0 ? .buy : .sell,
            type: call & 4 == 0 ? .limit : .market, timeInForce: call & 8 == 0 ? .day : .immediateOrCancel,
            outcome: outcome, quantity: Fixed(Int(call >> 4) + 1), limitPrice: call & 4 == 0 ? Fixed("0.25") : nil,
            clientOrderID: id)
        PluginFuzzing.answerAll(harness.host, status: status, body: input.rest)
        PluginFuzzing.tolerating {
            let update = call & 1 == 0 ? try harness.submit(order) : try harness.query(clientOrderID: id)
            precondition(update.clientOrderID == id, "an update for \(update.clientOrderID) answers \(id)")
            precondition(update.filled >= .zero && update.remaining >= .zero, "a negative quantity: \(update)")
        }
        PluginFuzzing.checkContract(harness)
    }
}
