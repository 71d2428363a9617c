import Dispatch
import Foundation
import NightshiftABI

extension OrderRouter {
    /// Applies a broker's update: records fills once, logs what changed, and tells the strategy.
    ///
    /// Called on the broker's queue, for the answer to `submit`, to `query`, or an asynchronous `order_update`. Only the
    /// broker the order was routed to may change it; cumulative fills never go backwards or beyond the order's quantity.
    func apply(_ update: OrderUpdate, from broker: PluginInstance) {
        enum Outcome { case ignored, foreign(String), anomaly(OrderRecord, Int64), changed(OrderRecord, OrderRecord) }
        let outcome: Outcome = state.withLock { state in
            guard var record = state.open[update.clientOrderID] else { return .ignored }
            guard record.broker == broker.name else { return .foreign(record.broker) }
            let previous = record
            // A late or repeated "unknown" never moves a known order backwards.
            if update.state == .unknown && previous.state != .submitted && previous.state != .unknown { return .ignored }
            record.state = update.state
            if !update.venueOrderID.isEmpty { record.venueOrderID = update.venueOrderID }
            let filled = min(update.filled, record.order.qty)
            if filled > record.filled {
                let delta = (filled - record.filled).multipliedReportingOverflow(by: record.direction).partialValue
                state.positions[record.positionKey, default: 0] =
                    state.positions[record.positionKey, default: 0].addingReportingOverflow(delta).partialValue
                record.filled = filled
                record.queryInterval = .seconds(1)
            }
            if record.state.isTerminal {
                state.open.removeValue(forKey: record.clientOrderID)
            } else {
                state.open[record.clientOrderID] = record
            }
            return update.filled > record.order.qty ? .anomaly(record, update.filled) : .changed(record, previous)
        }
        switch outcome {
        case .ignored:
            return
        case .foreign(let owner):
            log.warning("order_update_ignored", broker.name, "update for \(update.clientOrderID) ignored: routed to \(owner)", [
                "client_order_id": .string(update.clientOrderID), "broker": .string(owner),
            ])
        case .anomaly(let record, let reported):
            log.error("order_update_anomaly", broker.name, "\(record.clientOrderID): broker reported \(reported.fixedDouble) filled of \(record.order.qty.fixedDouble)", [
                "client_order_id": .string(record.clientOrderID), "reported_filled_qty": .double(reported.fixedDouble),
            ])
        case .changed(let record, let previous):
            logChange(record, previous: previous, update: update)
            notifyStrategy(record, update: update)
        }
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
            fields["remaining_qty"] = .double(record.remaining.fixedDouble)
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
        case .unknown where previous.state == .submitted:
            log.warning("order_unknown", record.strategy, "order \(id) outcome unknown; reconciling by query", fields)
        default:
            break
        }
    }

    private func notifyStrategy(_ record: OrderRecord, update: OrderUpdate) {
        guard let strategy = strategyInstance(record.strategy), let onUpdate = strategy.plugin.strategy?.on_order_update else { return }
        let symbol = record.order.symbol
        strategy.queue.async { [onFailure] in
            let status: ns_status = strategy.onQueue {
                guard let handle = strategy.handle else { return Status.ok }
                var value = ns_order_update()
                value.symbol = symbol
                value.status = record.state.abiStatus
                value.filled_qty = record.filled
                value.remaining_qty = record.remaining
                value.avg_price = update.averagePrice
                value.ts_ns = Int64(Date().timeIntervalSince1970 * 1e9)
                value.client_order_id = strategy.scratch.str(record.clientOrderID)
                value.venue_order_id = strategy.scratch.str(record.venueOrderID)
                value.reason = strategy.scratch.str(update.reason)
                return onUpdate(handle, &value)
            }
            if status != Status.ok { onFailure(strategy, status, strategy.pluginLastError()) }
        }
    }

    // MARK: - Reconciliation

    /// Queries open orders whose next check is due: finds fills that arrived later and settles unknown outcomes.
    ///
    /// At most one query per order is in flight; the interval doubles while nothing changes (to 30 s for unknown
    /// outcomes, 60 s for resting orders) and drops back to a second when a fill arrives.
    func reconcile() {
        let now = DispatchTime.now().uptimeNanoseconds
        let due: [OrderRecord] = state.withLock { state in
            var due: [OrderRecord] = []
            for (id, var record) in state.open where record.state != .submitted && !record.queryInFlight && record.nextQueryAt <= now {
                record.queryInFlight = true
                state.open[id] = record
                due.append(record)
            }
            return due
        }
        for record in due {
            guard let broker = routes[record.strategy], let query = broker.plugin.broker?.query else { continue }
            let id = record.clientOrderID
            broker.queue.async { [self] in
                let answer: OrderUpdate? = broker.onQueue {
                    guard let handle = broker.handle else { return nil }
                    var update = ns_order_update()
                    let status = id.withCString { query(handle, ns_str(ptr: $0, len: id.utf8.count), &update) }
                    guard status == Status.ok else { return nil }
                    var copied = OrderUpdate(update)
                    copied.clientOrderID = id
                    return copied
                }
                scheduleNextQuery(id)
                if let answer { apply(answer, from: broker) }
            }
        }
    }

    private func scheduleNextQuery(_ id: String) {
        state.withLock { state in
            guard var record = state.open[id] else { return }
            let cap: Duration = record.state == .unknown ? .seconds(30) : .seconds(60)
            record.queryInFlight = false
            record.nextQueryAt = DispatchTime.now().uptimeNanoseconds + UInt64(record.queryInterval.components.seconds) * 1_000_000_000
            record.queryInterval = min(record.queryInterval * 2, cap)
            state.open[id] = record
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
