import NightshiftKit

/// A broker for Alpaca's trading API: submits orders with the host's client order id, looks them up by it.
///
/// `submit` sends `POST {base_url}/v2/orders` through the host's `http` service with the client order id as the
/// idempotency key, so the host's retry policy may repeat it and Alpaca's uniqueness check keeps it one order. The
/// answer's `status`, `filled_qty` and `filled_avg_price` become the update. When no answer arrives — a timeout, a
/// dropped connection, retries exhausted, a garbled body — the outcome is `unknown` and the host reconciles with
/// `query`, which sends `GET {base_url}/v2/orders:by_client_order_id`. A repeat refused as a duplicate client order
/// id is answered by that same query, since the first attempt did place the order. A 404 from the query means the
/// order never arrived, except within `not_found_grace_seconds` of an unknown submit, where it stays unknown.
/// Other 4xx answers reject the order with Alpaca's message. The API key and secret travel only in the request
/// headers; no log line or error message carries them.
public struct AlpacaBrokerPlugin: Broker {
    public static let info = PluginInfo(
        name: "alpaca-broker", version: "1.0.0",
        description: "Alpaca trading API orders (paper or live), idempotent by client order id.",
        configSchema: AlpacaBrokerConfig.schema)

    private let context: PluginContext
    private let requests: OrderRequests
    private let grace: Duration
    /// Symbols of orders not yet terminal, for answers that omit them.
    private var symbols: [String: Symbol] = [:]
    /// When each order whose submit outcome was unknown was sent.
    private var unknownSince: [String: Timestamp] = [:]

    public init(context: PluginContext) throws {
        let config = try context.config.decode(AlpacaBrokerConfig.self)
        try config.validate()
        self.context = context
        requests = OrderRequests(
            base: config.base, keyID: config.keyId, secret: config.secret, timeout: config.requestTimeout)
        grace = .seconds(config.notFoundGraceSeconds)
    }

    // MARK: - Submit

    public mutating func submit(_ order: Order) throws -> OrderUpdate {
        let name = context.name(of: order.symbol)
        let request: HTTPRequest
        do throws(OrderRequests.Unsupported) {
            guard !name.isEmpty else {
                throw OrderRequests.Unsupported(reason: "the host knows no name for the symbol")
            }
            request = try requests.submit(order, symbol: name)
        } catch {
            return finish(.rejected(order, reason: error.reason, at: context.now), order: order, name: name)
        }
        symbols[order.clientOrderID] = order.symbol
        let response: HTTPResponse
        do {
            response = try context.http(request)
        } catch {
            return finish(unknown(order, because: "\(error)"), order: order, name: name)
        }
        return finish(answer(to: order, response), order: order, name: name)
    }

    /// The update a submit response means.
    private mutating func answer(to order: Order, _ response: HTTPResponse) -> OrderUpdate {
        switch response.status {
        case 200..<300:
            guard let parsed = AlpacaOrder.parse(response.body) else {
                return unknown(order, because: "HTTP \(response.status) with a body that is not an order")
            }
            return parsed.update(symbol: order.symbol, clientOrderID: order.clientOrderID, at: context.now)
        case 0:
            return unknown(order, because: response.transportError ?? "no response")
        case 408, 429, 500...:
            return unknown(order, because: "HTTP \(response.status)")
        case 422 where AlpacaError.isDuplicateClientOrderID(response.body),
            409 where AlpacaError.isDuplicateClientOrderID(response.body):
            // An earlier attempt placed it; what matters is its current state.
            context.log.info(
                "order already at the venue; looking it up", metadata: ["client_order_id": "\(order.clientOrderID)"])
            return (try? query(clientOrderID: order.clientOrderID))
                ?? unknown(order, because: "duplicate client order id, lookup failed")
        default:
            return .rejected(
                order, reason: "HTTP \(response.status): \(AlpacaError.message(response.body))", at: context.now)
        }
    }

    private mutating func unknown(_ order: Order, because reason: String) -> OrderUpdate {
        unknownSince[order.clientOrderID] = unknownSince[order.clientOrderID] ?? context.now
        return OrderUpdate(
            symbol: order.symbol, status: .unknown, remaining: order.quantity, time: context.now,
            clientOrderID: order.clientOrderID, reason: "outcome unknown: \(reason)")
    }

    private mutating func finish(_ update: OrderUpdate, order: Order, name: String) -> OrderUpdate {
        forgetIfDone(update)
        var metadata: Logger.Metadata = [
            "client_order_id": "\(order.clientOrderID)", "symbol": "\(name)", "side": "\(order.side)",
            "qty": .fixed(order.quantity), "type": "\(order.type)", "status": "\(update.status)",
            "filled": .fixed(update.filled),
        ]
        if let price = order.limitPrice { metadata["limit_price"] = .fixed(price) }
        if let reason = update.reason { metadata["reason"] = "\(reason)" }
        switch update.status {
        case .rejected: context.log.warning("alpaca order rejected", metadata: metadata)
        case .unknown: context.log.warning("alpaca order outcome unknown", metadata: metadata)
        default: context.log.info("alpaca order \(update.status)", metadata: metadata)
        }
        return update
    }

    // MARK: - Query

    public mutating func query(clientOrderID: String) throws -> OrderUpdate {
        let response: HTTPResponse
        do {
            response = try context.http(requests.query(clientOrderID: clientOrderID))
        } catch {
            throw PluginError.retry("order lookup failed: \(error)")
        }
        switch response.status {
        case 200..<300:
            guard let parsed = AlpacaOrder.parse(response.body) else {
                throw PluginError.retry(
                    "order lookup answered HTTP \(response.status) with a body that is not an order")
            }
            let symbol = symbols[clientOrderID] ?? parsed.symbol.map { context.symbol($0) } ?? .none
            let update = parsed.update(symbol: symbol, clientOrderID: clientOrderID, at: context.now)
            forgetIfDone(update)
            return update
        case 404:
            return notFound(clientOrderID)
        default:
            throw PluginError.retry(
                "order lookup answered HTTP \(response.status): \(AlpacaError.message(response.body))")
        }
    }

    /// A lookup that found nothing: unknown while a lost submit may still land, else never placed.
    private mutating func notFound(_ clientOrderID: String) -> OrderUpdate {
        let symbol = symbols[clientOrderID] ?? .none
        if let since = unknownSince[clientOrderID], context.now - since < grace {
            return OrderUpdate(
                symbol: symbol, status: .unknown, time: context.now, clientOrderID: clientOrderID,
                reason: "not found at the venue yet")
        }
        let update = OrderUpdate(
            symbol: symbol, status: .rejected, time: context.now, clientOrderID: clientOrderID,
            reason: "not found at the venue")
        forgetIfDone(update)
        return update
    }

    private mutating func forgetIfDone(_ update: OrderUpdate) {
        guard update.status.isTerminal else { return }
        symbols[update.clientOrderID] = nil
        unknownSince[update.clientOrderID] = nil
    }
}
