internal import NightshiftABI
import NightshiftKit

/// The host side's conversions between ABI records and the SDK's value types.
///
/// Written against the header and the SDK's public API only, independently of the SDK's own conversions, so a
/// layout or mapping mistake on either side shows up as a failing assertion rather than cancelling out.

extension MarketEvent {
    /// Copies a record the plugin emitted, payload included.
    init(record: ns_event) {
        self.init(
            kind: Kind(rawValue: record.kind), symbol: Symbol(id: record.symbol),
            time: Timestamp(nanosecondsSinceEpoch: record.ts_ns),
            price: Fixed(raw: record.price), size: Fixed(raw: record.size),
            bid: Fixed(raw: record.bid), ask: Fixed(raw: record.ask),
            bidSize: Fixed(raw: record.bid_size), askSize: Fixed(raw: record.ask_size),
            open: Fixed(raw: record.open), high: Fixed(raw: record.high), low: Fixed(raw: record.low),
            volume: Fixed(raw: record.volume), source: record.source, payload: record.payload.nonEmptyString)
    }

    /// The record handed to a plugin; the payload lives in `memory`.
    func record(in memory: HostMemory) -> ns_event {
        ns_event(
            kind: kind.rawValue, symbol: symbol.id, ts_ns: time.nanosecondsSinceEpoch,
            price: price.raw, size: size.raw, bid: bid.raw, ask: ask.raw,
            bid_size: bidSize.raw, ask_size: askSize.raw, open: open.raw, high: high.raw, low: low.raw,
            volume: volume.raw, source: source, flags: 0, payload: payload.map { memory.str($0) } ?? ns_str())
    }
}

extension Order {
    /// Copies an order record. Unknown enum values map to `nil` so the caller can report them.
    init?(record: ns_order) {
        guard let side = Side(rawValue: record.side), let type = OrderType(rawValue: record.type),
            let timeInForce = TimeInForce(rawValue: record.tif), let outcome = Outcome(rawValue: record.outcome)
        else { return nil }
        self.init(
            symbol: Symbol(id: record.symbol), side: side, type: type, timeInForce: timeInForce, outcome: outcome,
            quantity: Fixed(raw: record.qty), limitPrice: type == .limit ? Fixed(raw: record.limit_price) : nil,
            time: Timestamp(nanosecondsSinceEpoch: record.ts_ns), clientOrderID: record.client_order_id.string,
            reason: record.reason.string)
    }

    /// The record handed to a broker; strings live in `memory`.
    func record(in memory: HostMemory) -> ns_order {
        ns_order(
            symbol: symbol.id, side: side.rawValue, type: type.rawValue, tif: timeInForce.rawValue,
            outcome: outcome.rawValue, reserved: 0, qty: quantity.raw, limit_price: limitPrice?.raw ?? 0,
            ts_ns: time?.nanosecondsSinceEpoch ?? 0, client_order_id: memory.str(clientOrderID),
            reason: memory.str(reason))
    }
}

extension OrderUpdate {
    /// Copies an update record; an unknown status becomes `.unknown`.
    init(record: ns_order_update) {
        self.init(
            symbol: Symbol(id: record.symbol), status: Status(rawValue: record.status) ?? .unknown,
            filled: Fixed(raw: record.filled_qty), remaining: Fixed(raw: record.remaining_qty),
            averagePrice: record.avg_price == 0 ? nil : Fixed(raw: record.avg_price),
            time: record.ts_ns == 0 ? nil : Timestamp(nanosecondsSinceEpoch: record.ts_ns),
            clientOrderID: record.client_order_id.string, venueOrderID: record.venue_order_id.nonEmptyString,
            reason: record.reason.nonEmptyString)
    }

    /// The record handed to a strategy; strings live in `memory`.
    func record(in memory: HostMemory) -> ns_order_update {
        ns_order_update(
            symbol: symbol.id, status: status.rawValue, filled_qty: filled.raw, remaining_qty: remaining.raw,
            avg_price: averagePrice?.raw ?? 0, ts_ns: time?.nanosecondsSinceEpoch ?? 0,
            client_order_id: memory.str(clientOrderID), venue_order_id: memory.str(venueOrderID ?? ""),
            reason: memory.str(reason ?? ""))
    }
}

extension HTTPRequest {
    /// Copies a request record a plugin described.
    init(record: ns_http_request) {
        var headers: [HTTPHeader] = []
        for index in 0..<record.n_headers {
            if let header = record.headers?[index] { headers.append(HTTPHeader(header.name.string, header.value.string)) }
        }
        self.init(
            method: record.method.string, url: record.url.string, headers: headers, body: record.body.bytes,
            timeout: record.timeout_ns == 0 ? nil : .nanoseconds(record.timeout_ns),
            idempotencyKey: record.idempotency_key.nonEmptyString, label: record.label.nonEmptyString)
    }
}

extension HTTPResponse {
    /// The record handed to a plugin; memory lives in `memory`.
    func record(in memory: HostMemory) -> ns_http_response {
        let headers = self.headers.map { ns_http_header(name: memory.str($0.name.lowercased()), value: memory.str($0.value)) }
        return ns_http_response(
            status: Int32(status), reserved: 0, headers: memory.copy(headers), n_headers: headers.count,
            body: memory.bytes(body), error: memory.str(transportError ?? ""))
    }
}

extension StreamRequest {
    /// Copies a stream request record.
    init(record: ns_stream_request) {
        var headers: [HTTPHeader] = []
        for index in 0..<record.n_headers {
            if let header = record.headers?[index] { headers.append(HTTPHeader(header.name.string, header.value.string)) }
        }
        self.init(url: record.url.string, headers: headers)
    }
}
