import Dispatch
import Foundation
import NightshiftABI

extension OrderRouter {
    /// Applies a broker's update: records fills once, logs what changed, and tells the strategy.
    ///
    /// Called on the broker's queue, for the answer to `submit`, to `query`, or an asynchronous `order_update`.
    func apply(_ update: OrderUpdate, from broker: PluginInstance) {
        let outcome: (record: OrderRecord, previous: OrderRecord)? = state.withLock { state in
            guard var record = state.orders[update.clientOrderID] else { return nil }
            let previous = record
            // A late or repeated report never moves an order backwards or counts a fill twice.
            if previous.state.isTerminal { return nil }
            if update.state == .unknown && previous.state != .submitted { return nil }
            record.state = update.state
            if !update.venueOrderID.isEmpty { record.venueOrderID = update.venueOrderID }
            if update.filled > record.filled {
                state.positions[record.symbol, default: 0] += record.direction * (update.filled - record.filled)
                record.filled = update.filled
            }
            state.orders[update.clientOrderID] = record
            return (record, previous)
        }
        guard let (record, previous) = outcome else { return }
        logChange(record, previous: previous, update: update)
        notifyStrategy(record, update: update)
    }

    private func logChange(_ record: OrderRecord, previous: OrderRecord, update: OrderUpdate) {
        var fields: [String: HostLogValue] = [
            "client_order_id": .string(record.clientOrderID), "symbol": .string(record.symbol),
            "side": .string(record.sideName), "status": .string(record.state.rawValue), "broker": .string(record.broker),
        ]
        if !record.venueOrderID.isEmpty { fields["venue_order_id"] = .string(record.venueOrderID) }
        if !update.reason.isEmpty { fields["reason"] = .string(update.reason) }
        let id = record.clientOrderID
        if previous.state == .unknown && record.state != .unknown {
            log.info("order_reconciled", record.strategy, "order \(id) reconciled as \(record.state.rawValue)", fields)
        }
        if record.filled > previous.filled {
            fields["qty"] = .double((record.filled - previous.filled).fixedDouble)
            fields["filled_qty"] = .double(record.filled.fixedDouble)
            fields["remaining_qty"] = .double(update.remaining.fixedDouble)
            fields["price"] = .double(update.averagePrice.fixedDouble)
            let what = record.state == .filled ? "filled" : "partially filled"
            log.info("trade_executed", record.strategy, "order \(id) \(what)", fields)
            return
        }
        switch record.state {
        case .new where previous.state == .submitted || previous.state == .unknown:
            log.info("order_accepted", record.strategy, "order \(id) accepted by \(record.broker)", fields)
        case .rejected:
            log.warning("order_rejected", record.strategy, "order \(id) rejected: \(update.reason)", fields)
        case .canceled:
            log.info("order_canceled", record.strategy, "order \(id) canceled", fields)
        case .unknown:
            log.warning("order_unknown", record.strategy, "order \(id) outcome unknown; reconciling by query", fields)
        default:
            break
        }
    }

    private func notifyStrategy(_ record: OrderRecord, update: OrderUpdate) {
        guard let strategy = strategyInstance(record.strategy), let onUpdate = strategy.plugin.strategy?.on_order_update else { return }
        let symbol = record.order.symbol
        strategy.queue.async { strategy.onQueue {
            guard let handle = strategy.handle else { return }
            var value = ns_order_update()
            value.symbol = symbol
            value.status = record.state.abiStatus
            value.filled_qty = record.filled
            value.remaining_qty = update.remaining
            value.avg_price = update.averagePrice
            value.ts_ns = Int64(Date().timeIntervalSince1970 * 1e9)
            value.client_order_id = strategy.scratch.str(record.clientOrderID)
            value.venue_order_id = strategy.scratch.str(record.venueOrderID)
            value.reason = strategy.scratch.str(update.reason)
            _ = onUpdate(handle, &value)
        } }
    }

    // MARK: - Reconciliation

    /// Queries every open order at its broker: finds fills that arrived later and settles unknown outcomes.
    func reconcile() {
        let open = state.withLock { $0.orders.values.filter { !$0.state.isTerminal && $0.state != .submitted } }
        for record in open {
            guard let broker = routes[record.strategy], let query = broker.plugin.broker?.query else { continue }
            let id = record.clientOrderID
            broker.queue.async { [self] in broker.onQueue {
                guard let handle = broker.handle else { return }
                var update = ns_order_update()
                let status = id.withCString { query(handle, ns_str(ptr: $0, len: id.utf8.count), &update) }
                guard status == Status.ok else { return }
                var copied = OrderUpdate(update)
                copied.clientOrderID = id
                apply(copied, from: broker)
            } }
        }
    }

    /// Waits until every order handed to a broker has its first answer, or the deadline passes.
    func drain(until deadline: DispatchTime) -> Bool { inFlightGroup.wait(timeout: deadline) == .success }
}

extension OrderRecord.State {
    var abiStatus: Int32 {
        switch self {
        case .new, .submitted: Int32(NS_ORDER_STATUS_NEW)
        case .partiallyFilled: Int32(NS_ORDER_STATUS_PARTIALLY_FILLED)
        case .filled: Int32(NS_ORDER_STATUS_FILLED)
        case .canceled: Int32(NS_ORDER_STATUS_CANCELED)
        case .rejected: Int32(NS_ORDER_STATUS_REJECTED)
        case .unknown: Int32(NS_ORDER_STATUS_UNKNOWN)
        }
    }
}
