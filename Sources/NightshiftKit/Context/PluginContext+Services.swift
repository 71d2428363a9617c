internal import NightshiftABI

/// The host services an instance calls: publishing events, orders, HTTP, stream frames and order updates.
///
/// Each throws a ``PluginError`` carrying the host's reason when the host returns a non-OK status; let it propagate
/// to hand the status back to the host, or catch it to carry on.
extension PluginContext {
    /// Publishes a batch of events to subscribers.
    ///
    /// The events are copied into reused contiguous memory and handed over in one call; without payloads nothing is
    /// allocated per event.
    public func emit(_ events: [MarketEvent]) throws {
        guard !events.isEmpty else { return }
        let emit = try link.service(\.emit, "emit")
        let buffer = link.eventBuffer(count: events.count)
        defer { link.scratch.reset() }
        for (index, event) in events.enumerated() {
            buffer[index] = event.raw
            // Payloads are rare (low-rate kinds); only they touch the scratch arena.
            if let payload = event.payload { buffer[index].payload = link.scratch.str(payload) }
        }
        try link.check(emit(link.ctx, buffer.baseAddress, events.count), "emit")
    }

    /// Publishes one event.
    public func emit(_ event: MarketEvent) throws {
        try emit([event])
    }

    /// Publishes one low-rate event with a JSON payload.
    public func emit(_ event: MarketEvent, payload: String) throws {
        var event = event
        event.payload = payload
        try emit([event])
    }

    /// Submits an order for risk checks and routing; it is accepted for routing, not filled, when this returns.
    ///
    /// - Throws: ``PluginError`` with the host's reason when a risk limit blocks the order (the host also records a
    ///   `trade_blocked` event). Catch it to keep running.
    public func submit(_ order: Order) throws {
        let submit = try link.service(\.submit_order, "submit_order")
        defer { link.scratch.reset() }
        var raw = link.scratch.order(order, defaultTime: now)
        try link.check(submit(link.ctx, &raw), "submit_order")
    }

    /// Performs an HTTP request through the host, under the instance's retry policy.
    ///
    /// A response of any HTTP status returns normally; a request that never got a response returns status 0 with
    /// ``HTTPResponse/transportError`` set, unless the host reports the failure as an error status.
    public func http(_ request: HTTPRequest) throws -> HTTPResponse {
        let http = try link.service(\.http, "http")
        defer { link.scratch.reset() }
        var raw = link.scratch.request(request)
        var response = ns_http_response()
        try link.check(http(link.ctx, &raw, &response), "http")
        return HTTPResponse(borrowing: response)
    }

    /// Stream sources: sends a text frame on the open connection (only inside stream callbacks).
    public func send(text: String) throws {
        let send = try link.service(\.stream_send, "stream_send")
        try link.check(withNSStr(text) { send(link.ctx, $0) }, "stream_send")
    }

    /// Brokers: reports an order update that arrived after ``Broker/submit(_:)`` returned (a later fill).
    public func report(update: OrderUpdate) throws {
        let report = try link.service(\.order_update, "order_update")
        defer { link.scratch.reset() }
        var raw = link.scratch.update(update)
        try link.check(report(link.ctx, &raw), "order_update")
    }
}
