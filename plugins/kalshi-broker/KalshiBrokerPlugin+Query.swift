import Foundation
import KalshiWire
import NightshiftKit

/// Looking an order up by its client order id, for reconciliation and fill tracking.
extension KalshiBrokerPlugin {
    /// Finds the order at the venue.
    ///
    /// With a known venue id this is `GET /portfolio/orders/{order_id}`; otherwise (or on a 404) it searches
    /// `GET /portfolio/orders?ticker=..` page by page, since the list cannot filter by client order id. An order the
    /// venue does not show is `unknown` while its unanswered submission is younger than `unknown_grace_seconds` (or
    /// the search ran out of pages) and `rejected` after. A failed lookup throws `retry`: the host asks again later.
    public mutating func query(clientOrderID id: String) throws -> OrderUpdate {
        let now = context.now
        let entry = journal[id]
        if let venueID = entry?.venueOrderID {
            let response = try get("\(base)/portfolio/orders/\(Self.escape(venueID))")
            if response.isSuccess,
                let envelope = try? JSONDecoder().decode(KalshiOrderEnvelope.self, from: Data(response.body))
            {
                return found(envelope.order, id: id, entry: entry, at: now)
            }
            guard response.status == 404 else { throw failure(response) }
        }
        var cursor: String?
        for _ in 0..<config.maxQueryPages {
            var parameters: [(String, String)] = []
            if let ticker = entry?.ticker { parameters.append(("ticker", ticker)) }
            parameters.append(("limit", "100"))
            if let cursor { parameters.append(("cursor", cursor)) }
            let query = parameters.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
            let response = try get("\(base)/portfolio/orders?\(query)")
            guard response.isSuccess else { throw failure(response) }
            guard let list = try? JSONDecoder().decode(KalshiOrderList.self, from: Data(response.body)) else {
                throw PluginError.retry("kalshi order list is unreadable (\(response.body.count) bytes)")
            }
            if let match = list.orders.lazy.compactMap(\.order).first(where: { $0.clientOrderId == id }) {
                return found(match, id: id, entry: entry, at: now)
            }
            guard let next = list.cursor, !next.isEmpty else {
                cursor = nil
                break
            }
            cursor = next
        }
        let symbol = entry?.symbol ?? .none
        if cursor != nil {
            return OrderUpdate(
                symbol: symbol, status: .unknown, time: now, clientOrderID: id,
                reason: "not among the first \(config.maxQueryPages) page(s) of orders")
        }
        if let entry, entry.unanswered, now - entry.sentAt < .seconds(config.unknownGraceSeconds) {
            return OrderUpdate(
                symbol: symbol, status: .unknown, time: now, clientOrderID: id, reason: "not yet visible at the venue")
        }
        return OrderUpdate(
            symbol: symbol, status: .rejected, time: now, clientOrderID: id, reason: "not found at the venue")
    }

    /// The update for an order the venue showed, remembering its venue id.
    private mutating func found(_ order: KalshiOrder, id: String, entry: OrderJournal.Entry?, at now: Timestamp)
        -> OrderUpdate
    {
        journal.answered(id, venueOrderID: order.orderId)
        let symbol = entry?.symbol ?? (order.ticker.map { context.symbol($0) } ?? .none)
        return order.update(symbol: symbol, clientOrderID: id, at: now)
    }

    /// A signed GET; a request that got no response is a `retry` failure.
    private func get(_ url: String) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try context.http(try signed("GET", url, label: "kalshi order query"))
        } catch let error as PluginError {
            throw PluginError.retry("kalshi order query: \(error.message)")
        }
        guard response.status != 0 else {
            throw PluginError.retry("kalshi order query: \(response.transportError ?? "no response")")
        }
        return response
    }

    private func failure(_ response: HTTPResponse) -> PluginError {
        let reason = KalshiErrorBody.reason(in: response.body) ?? "no error body"
        return .retry("kalshi order query HTTP \(response.status): \(reason)")
    }

    /// Percent-encodes a path segment or query value.
    static func escape(_ value: String) -> String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
