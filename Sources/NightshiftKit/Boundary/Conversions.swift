internal import NightshiftABI

/// Conversions between the ABI's borrowed C records and the SDK's value types.
///
/// Inbound records are copied (strings included) because inputs are borrowed only for the call; outbound records
/// point into an ``Arena`` that outlives the call.

// MARK: - Inbound

extension Order {
    init(borrowing order: ns_order) throws {
        guard let side = Side(rawValue: order.side) else {
            throw PluginError(code: .fatal, message: "order has unknown side \(order.side)", context: "ns_order")
        }
        guard let type = OrderType(rawValue: order.type) else {
            throw PluginError(code: .fatal, message: "order has unknown type \(order.type)", context: "ns_order")
        }
        self.init(
            symbol: Symbol(id: order.symbol), side: side, type: type,
            timeInForce: TimeInForce(rawValue: order.tif) ?? .day,
            outcome: Outcome(rawValue: order.outcome) ?? .none,
            quantity: Fixed(raw: order.qty),
            limitPrice: type == .limit ? Fixed(raw: order.limit_price) : nil,
            time: order.ts_ns == 0 ? nil : Timestamp(nanosecondsSinceEpoch: order.ts_ns),
            clientOrderID: order.client_order_id.string,
            reason: order.reason.string)
    }
}

extension OrderUpdate {
    init(borrowing update: ns_order_update) {
        self.init(
            symbol: Symbol(id: update.symbol),
            status: Status(rawValue: update.status) ?? .unknown,
            filled: Fixed(raw: update.filled_qty),
            remaining: Fixed(raw: update.remaining_qty),
            averagePrice: update.avg_price == 0 ? nil : Fixed(raw: update.avg_price),
            time: update.ts_ns == 0 ? nil : Timestamp(nanosecondsSinceEpoch: update.ts_ns),
            clientOrderID: update.client_order_id.string,
            venueOrderID: update.venue_order_id.nonEmptyString,
            reason: update.reason.nonEmptyString)
    }
}

extension HTTPResponse {
    init(borrowing response: ns_http_response) {
        var headers: [HTTPHeader] = []
        if let list = response.headers {
            for index in 0..<response.n_headers {
                headers.append(HTTPHeader(list[index].name.string, list[index].value.string))
            }
        }
        self.init(
            status: Int(response.status), headers: headers, body: response.body.bytes,
            transportError: response.error.nonEmptyString)
    }
}

// MARK: - Outbound

extension Arena {
    func update(_ update: OrderUpdate) -> ns_order_update {
        ns_order_update(
            symbol: update.symbol.id,
            status: update.status.rawValue,
            filled_qty: update.filled.raw,
            remaining_qty: update.remaining.raw,
            avg_price: update.averagePrice?.raw ?? 0,
            ts_ns: update.time?.nanosecondsSinceEpoch ?? 0,
            client_order_id: str(update.clientOrderID),
            venue_order_id: str(update.venueOrderID),
            reason: str(update.reason))
    }

    func request(_ request: HTTPRequest) -> ns_http_request {
        let (headers, count) = headers(request.headers)
        return ns_http_request(
            method: str(request.method),
            url: str(request.url),
            headers: headers,
            n_headers: count,
            body: request.body.withUnsafeBytes { str($0) },
            timeout_ns: request.timeout?.nanoseconds ?? 0,
            idempotency_key: str(request.idempotencyKey),
            label: str(request.label))
    }

    func streamRequest(_ request: StreamRequest) -> ns_stream_request {
        let (headers, count) = headers(request.headers)
        return ns_stream_request(url: str(request.url), headers: headers, n_headers: count)
    }

    func order(_ order: Order, defaultTime: Timestamp) -> ns_order {
        ns_order(
            symbol: order.symbol.id,
            side: order.side.rawValue,
            type: order.type.rawValue,
            tif: order.timeInForce.rawValue,
            outcome: order.outcome.rawValue,
            reserved: 0,
            qty: order.quantity.raw,
            limit_price: order.limitPrice?.raw ?? 0,
            ts_ns: (order.time ?? defaultTime).nanosecondsSinceEpoch,
            client_order_id: str(order.clientOrderID),
            reason: str(order.reason))
    }
}
