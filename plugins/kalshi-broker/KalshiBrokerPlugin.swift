import Foundation
import KalshiWire
import NightshiftKit

/// A broker for Kalshi's trade API v2: signed limit orders on yes/no contracts, reconciled by client order id.
///
/// Every request carries `KALSHI-ACCESS-KEY`, `KALSHI-ACCESS-TIMESTAMP` and an RSA-PSS `KALSHI-ACCESS-SIGNATURE`
/// (see ``KalshiAuth``). `submit` posts `/portfolio/orders` with the host's client order id, the contract from the
/// order's outcome (yes|no), the action from its side (buy|sell), the whole-contract count and the limit price in
/// cents; the answer's `status` and counts become the update (`resting` → new or partially filled, `executed` →
/// filled, `canceled` → canceled).
///
/// The POST is made exactly once: it carries no idempotency key, so the host never repeats it. When no usable
/// answer arrives (a timeout, a dropped connection, a 5xx) the update is `unknown`, and the host reconciles with
/// `query`, which looks the client order id up at the venue (``KalshiBrokerPlugin/query(clientOrderID:)``). A 4xx is
/// a rejection with Kalshi's reason.
public struct KalshiBrokerPlugin: Broker {
    public static let info = PluginInfo(
        name: "kalshi-broker", version: "1.0.0",
        description: "Signed Kalshi limit orders (RSA-PSS), reconciled by client order id.",
        configSchema: KalshiBrokerConfig.schema)

    let context: PluginContext
    let config: KalshiBrokerConfig
    let base: String
    private let auth: KalshiAuth
    var journal = OrderJournal()

    public init(context: PluginContext) throws {
        let config = try context.config.decode(KalshiBrokerConfig.self)
        try config.validate()
        self.context = context
        self.config = config
        var base = config.baseUrl
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        let signer = try RSAPSSSigner(pem: try PrivateKeySource.pem(from: config.privateKey))
        auth = KalshiAuth(keyID: config.keyId, signer: signer)
    }

    public mutating func submit(_ order: Order) throws -> OrderUpdate {
        let now = context.now
        let ticker = context.name(of: order.symbol)
        let body: OrderBody
        switch OrderBody.make(order, ticker: ticker) {
        case .failure(let refusal):
            context.log.warning(
                "kalshi order not sent: \(refusal.reason)",
                metadata: ["client_order_id": "\(order.clientOrderID)", "ticker": "\(ticker)"])
            return .rejected(order, reason: refusal.reason, at: now)
        case .success(let made):
            body = made
        }
        let request = try signed("POST", "\(base)/portfolio/orders", body: body.json(), label: "kalshi order")
        journal.sending(order.clientOrderID, ticker: ticker, symbol: order.symbol, at: now)
        let update = outcome(of: request, for: order, at: now)
        if update.status != .unknown { journal.answered(order.clientOrderID, venueOrderID: update.venueOrderID) }
        log(update, body: body)
        return update
    }

    /// The update a POST's answer implies; anything short of a readable answer is unknown.
    private func outcome(of request: HTTPRequest, for order: Order, at now: Timestamp) -> OrderUpdate {
        func unknown(_ reason: String) -> OrderUpdate {
            OrderUpdate(
                symbol: order.symbol, status: .unknown, time: now, clientOrderID: order.clientOrderID, reason: reason)
        }
        let response: HTTPResponse
        do {
            response = try context.http(request)
        } catch {
            return unknown("no answer to the order: \((error as? PluginError)?.message ?? "\(error)")")
        }
        guard response.status != 0 else { return unknown("no answer to the order: \(response.transportError ?? "")") }
        if response.isSuccess {
            guard let envelope = try? JSONDecoder().decode(KalshiOrderEnvelope.self, from: Data(response.body)) else {
                return unknown("the order's answer is unreadable (\(response.body.count) bytes)")
            }
            return envelope.order.update(symbol: order.symbol, clientOrderID: order.clientOrderID, at: now)
        }
        let reason = KalshiErrorBody.reason(in: response.body) ?? "HTTP \(response.status)"
        // A server error or a conflict may hide an accepted order: only a query can tell.
        if response.status >= 500 || response.status == 409 { return unknown("HTTP \(response.status): \(reason)") }
        return .rejected(order, reason: "HTTP \(response.status): \(reason)", at: now)
    }

    /// A request with the authentication headers; the body, when given, is JSON.
    func signed(_ method: String, _ url: String, body: String? = nil, label: String) throws -> HTTPRequest {
        var headers = try auth.headers(method: method, url: url, at: context.now)
        headers.append(HTTPHeader("Accept", "application/json"))
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        return HTTPRequest(
            method: method, url: url, headers: headers, body: Array((body ?? "").utf8),
            timeout: .milliseconds(Int64(config.timeoutSeconds * 1000)), label: label)
    }

    private func log(_ update: OrderUpdate, body: OrderBody) {
        var metadata: Logger.Metadata = [
            "client_order_id": "\(update.clientOrderID)", "ticker": "\(body.ticker)", "side": "\(body.side)",
            "action": "\(body.action)", "count": .int(Int64(body.count)),
            "price_cents": .int(Int64(body.yesPrice ?? body.noPrice ?? 0)), "status": "\(update.status)",
            "filled": .fixed(update.filled),
        ]
        if let venue = update.venueOrderID { metadata["venue_order_id"] = "\(venue)" }
        if let reason = update.reason { metadata["reason"] = "\(reason)" }
        switch update.status {
        case .unknown, .rejected:
            context.log.warning("kalshi order \(update.status): \(update.reason ?? "")", metadata: metadata)
        default:
            context.log.info("kalshi order \(update.status)", metadata: metadata)
        }
    }
}
