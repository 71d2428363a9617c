import Dispatch
import Foundation
import NightshiftABI
import Synchronization

/// Takes orders from strategies, applies risk limits, sends them to brokers and tracks them to completion.
///
/// Every order gets a deterministic `client_order_id` (`<run>-<strategy>-<sequence>`, the run part random per run;
/// `<run>-e<epoch>-<strategy>-<sequence>` under leadership) before it leaves the host. An order whose outcome is unknown (the broker timed out after sending) stays in flight
/// until a query reconciles it; it is never resubmitted. Partial fills are tracked by cumulative quantity, so a fill
/// is never counted twice. Finished orders leave the router's memory once their last event is written.
final class OrderRouter: Sendable {
    struct State: Sendable {
        var risk: RiskEngine
        var sequence: [String: Int] = [:]
        /// Filled position per `OrderRecord.positionKey` (fixed point).
        var positions: [String: Int64] = [:]
        var lastPrices: [String: Int64] = [:]
        /// Orders not yet filled, canceled or rejected, by client order id.
        var open: [String: OrderRecord] = [:]
        /// Orders refused because this host does not lead, for the per-minute summary.
        var suppressed = SuppressionTally()
    }

    /// Called with a strategy whose `on_order_update` returned non-OK, and the plugin's reason.
    typealias FailureHandler = @Sendable (PluginInstance, ns_status, String) -> Void

    let state: Mutex<State>
    let routes: [String: PluginInstance]
    private let strategies: [String: PluginInstance]
    private let runTag: String
    let log: any HostLog
    let symbols: SymbolTable
    let inFlightGroup = DispatchGroup()
    private let clock: @Sendable () -> Date
    let onFailure: FailureHandler
    private let limitsNeedPrices: Bool
    /// The leadership gate: the epoch orders may carry now, or nil while this host must not send any. Without one
    /// (no `leadership:` section) the host always leads and ids carry no epoch.
    let gate: (@Sendable () -> Int64?)?

    /// - Parameters:
    ///   - routes: strategy instance name → the broker instance its orders go to.
    ///   - runTag: a short tag unique to this run, the first part of every client order id.
    ///   - tracksPrices: keep the last price per symbol even without a notional limit (a replay's PnL needs them).
    init(
        routes: [String: PluginInstance], strategies: [PluginInstance], limits: RiskLimits, runTag: String,
        symbols: SymbolTable, log: any HostLog, clock: @escaping @Sendable () -> Date = { Date() },
        onFailure: @escaping FailureHandler = { _, _, _ in }, tracksPrices: Bool = false,
        gate: (@Sendable () -> Int64?)? = nil
    ) {
        self.gate = gate
        self.routes = routes
        self.strategies = Dictionary(uniqueKeysWithValues: strategies.map { ($0.name, $0) })
        self.runTag = runTag
        self.symbols = symbols
        self.log = log
        self.clock = clock
        self.onFailure = onFailure
        limitsNeedPrices = tracksPrices || limits.maxNotional != nil
        state = Mutex(State(risk: RiskEngine(limits: limits)))
    }

    func strategyInstance(_ name: String) -> PluginInstance? { strategies[name] }

    /// Orders not yet filled, canceled or rejected.
    var openOrderCount: Int { state.withLock { $0.open.count } }

    /// The filled position per symbol (`symbol:yes`/`symbol:no` for binary contracts), fixed point.
    var positions: [String: Int64] { state.withLock { $0.positions } }

    /// Remembers the last price per symbol, for the notional check on market orders.
    func observe(_ events: UnsafeBufferPointer<ns_event>) {
        guard limitsNeedPrices else { return }
        var latest: [UInt32: Int64] = [:]
        for event in events where event.price != 0 || event.ask != 0 {
            latest[event.symbol] = event.price != 0 ? event.price : event.ask
        }
        guard !latest.isEmpty else { return }
        let named = latest.map { (symbols.name($0.key) ?? "", $0.value) }
        state.withLock { state in
            for (name, price) in named { state.lastPrices[name] = price }
        }
    }

    // MARK: - Submission

    /// Accepts an order from `strategy` (called on the strategy's queue).
    ///
    /// - Returns: nil when the order was accepted for routing, else the reason it was blocked.
    func submit(from strategy: PluginInstance, order: ns_order) -> String? {
        let symbol = symbols.name(order.symbol) ?? "#\(order.symbol)"
        guard let broker = routes[strategy.name] else {
            return block(strategy, symbol, order, reason: "no broker: set route_to for \(strategy.name)")
        }
        guard order.qty > 0, order.side == Int32(NS_SIDE_BUY) || order.side == Int32(NS_SIDE_SELL) else {
            return block(strategy, symbol, order, reason: "invalid order: quantity must be positive and side buy or sell")
        }
        // The gate comes before everything that counts or records an order: a standby's orders leave no trace.
        var epochTag = ""
        if let gate {
            guard let epoch = gate() else { return suppress(strategy) }
            epochTag = "e\(epoch)-"
        }
        let killSwitch = state.withLock { $0.risk.limits.killSwitchFile }.map { FileManager.default.fileExists(atPath: $0) } ?? false
        let now = clock()
        let terms = OrderTerms(order)
        let (blocked, clientOrderID): (String?, String) = state.withLock { state in
            let direction: Double = order.side == Int32(NS_SIDE_SELL) ? -1 : 1
            let price = order.limit_price != 0 ? order.limit_price : state.lastPrices[symbol]
            let riskOrder = RiskOrder(
                symbol: symbol, direction: direction, quantity: order.qty.fixedDouble, referencePrice: price?.fixedDouble)
            // The position limit counts what is already filled plus every open order on the same side: orders in
            // flight fill later, and ten orders sent in one batch must not each pass the limit alone.
            let key = OrderTerms.positionKey(symbol, outcome: order.outcome)
            let pending = state.open.values
                .filter { $0.positionKey == key && $0.order.side == order.side }
                .reduce(Int64(0)) { $0.addingReportingOverflow($1.remaining).partialValue }
            let exposure = (state.positions[key] ?? 0).fixedDouble + direction * pending.fixedDouble
            if let reason = state.risk.check(riskOrder, position: exposure, now: now, killSwitchPresent: killSwitch) {
                return (reason, "")
            }
            let sequence = (state.sequence[strategy.name] ?? 0) + 1
            state.sequence[strategy.name] = sequence
            let id = "\(runTag)-\(epochTag)\(strategy.name)-\(sequence)"
            state.open[id] = OrderRecord(
                clientOrderID: id, strategy: strategy.name, broker: broker.name, symbol: symbol, order: terms)
            return (nil, id)
        }
        if let blocked { return block(strategy, symbol, order, reason: blocked) }
        log.info("order_submitted", strategy.name, "order \(clientOrderID) to \(broker.name)", fields(order, symbol, clientOrderID, strategy.reasonText(order)))
        send(clientOrderID, order: terms, to: broker)
        return nil
    }

    private func block(_ strategy: PluginInstance, _ symbol: String, _ order: ns_order, reason: String) -> String {
        var details = fields(order, symbol, nil, strategy.reasonText(order))
        details["reason"] = .string(reason)
        log.warning("trade_blocked", strategy.name, "order blocked: \(reason)", details)
        return reason
    }

    private func fields(_ order: ns_order, _ symbol: String, _ id: String?, _ why: String) -> [String: HostLogValue] {
        var fields: [String: HostLogValue] = [
            "symbol": .string(symbol), "side": .string(order.side == Int32(NS_SIDE_SELL) ? "sell" : "buy"),
            "qty": .double(order.qty.fixedDouble),
        ]
        if order.limit_price != 0 { fields["limit_price"] = .double(order.limit_price.fixedDouble) }
        if let id { fields["client_order_id"] = .string(id) }
        if !why.isEmpty { fields["strategy_reason"] = .string(why) }
        return fields
    }

    /// Hands the order to the broker on the broker's queue. Called once per order: there is no resubmission path.
    private func send(_ clientOrderID: String, order: OrderTerms, to broker: PluginInstance) {
        inFlightGroup.enter()
        broker.queue.async { [self] in
            defer { inFlightGroup.leave() }
            broker.onQueue { submitOnQueue(clientOrderID, order: order, to: broker) }
        }
    }

    private func submitOnQueue(_ clientOrderID: String, order: OrderTerms, to broker: PluginInstance) {
        if let gate, gate() == nil {
            // Leadership ended while the order waited for the broker's queue: it never leaves.
            apply(OrderUpdate(rejected: "this host no longer leads", clientOrderID: clientOrderID), from: broker)
            return
        }
        guard let handle = broker.handle, let submit = broker.plugin.broker?.submit else {
            // The broker is not running (its restart failed): the order never left, so it is rejected, not lost.
            apply(OrderUpdate(rejected: "broker \(broker.name) is not running", clientOrderID: clientOrderID), from: broker)
            return
        }
        var outgoing = order.abi
        var update = ns_order_update()
        let status = clientOrderID.withCString { id in
            outgoing.client_order_id = ns_str(ptr: id, len: clientOrderID.utf8.count)
            return submit(handle, &outgoing, &update)
        }
        var copied = OrderUpdate(update)
        copied.clientOrderID = clientOrderID
        if status != Status.ok && copied.state != .unknown {
            let reason = broker.pluginLastError()
            copied = status == Status.retry
                ? OrderUpdate(unknown: reason, clientOrderID: clientOrderID)
                : OrderUpdate(rejected: reason, clientOrderID: clientOrderID)
        }
        apply(copied, from: broker)
    }
}

extension OrderUpdate {
    init(rejected reason: String, clientOrderID: String) {
        self.init(unknown: reason, clientOrderID: clientOrderID)
        state = .rejected
    }
}

extension PluginInstance {
    /// The strategy's own explanation for an order, if it gave one.
    func reasonText(_ order: ns_order) -> String { order.reason.string }
}
