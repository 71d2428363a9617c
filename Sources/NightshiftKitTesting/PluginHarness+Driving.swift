import NightshiftKit
internal import NightshiftABI

// MARK: - Poll sources

extension PluginHarness {
    /// Calls `begin_cycle` at the host's current time.
    public func beginCycle() throws {
        let source = try capability(\.poll_source, "poll source")
        let now = host.now.nanosecondsSinceEpoch
        try call("begin_cycle") { source.begin_cycle?($0, now) ?? ns_status(NS_FATAL) }
    }

    /// Calls `next_request`; `nil` when the plugin leaves the URL empty (the cycle is complete).
    public func nextRequest() throws -> HTTPRequest? {
        let source = try capability(\.poll_source, "poll source")
        var request: HTTPRequest?
        try call("next_request") { instance in
            var out = ns_http_request()
            let status = source.next_request?(instance, &out) ?? ns_status(NS_FATAL)
            // Outputs stay valid until the next call; copy while still inside this one.
            if status == ns_status(NS_OK), out.url.len > 0 { request = HTTPRequest(record: out) }
            return status
        }
        return request
    }

    /// Calls `on_response` with `response`.
    public func deliver(_ response: HTTPResponse) throws {
        let source = try capability(\.poll_source, "poll source")
        let record = response.record(in: host.callMemory)
        try call("on_response") { instance in
            withUnsafePointer(to: record) { source.on_response?(instance, $0) ?? ns_status(NS_FATAL) }
        }
    }

    /// Runs one whole cycle as the scheduler does: `begin_cycle`, then each request answered from the host's
    /// scripts, until the plugin has no more.
    ///
    /// - Returns: The requests the plugin described, in order.
    /// - Throws: ``HarnessError`` when the plugin fails, or with code ``HarnessError/Code/hostFailure`` when a request
    ///   has no script or its script is a failure (the real host would skip the cycle).
    @discardableResult
    public func runCycle(maxRequests: Int = 1000) throws -> [HTTPRequest] {
        try beginCycle()
        var requests: [HTTPRequest] = []
        while let request = try nextRequest() {
            requests.append(request)
            host.httpRequests.append(request)
            switch host.answer(for: request) {
            case .response(let response):
                try deliver(response)
            case .failure(let status, let message):
                throw HarnessError(code: .hostFailure, status: status, message: message, call: "http")
            case nil:
                throw HarnessError(
                    code: .hostFailure, status: .fatal,
                    message: "no scripted response for \(request.method) \(request.url)", call: "http")
            }
            guard requests.count < maxRequests else {
                throw HarnessError(
                    code: .hostFailure, status: .fatal, message: "more than \(maxRequests) requests in one cycle",
                    call: "next_request")
            }
        }
        return requests
    }
}

// MARK: - Strategies and brokers

extension PluginHarness {
    /// Delivers a batch to every consumer the plugin has: the strategy's and the broker's `on_events`.
    public func send(_ events: [MarketEvent]) throws {
        let consumers = [
            table.pointee.strategy?.pointee.on_events, table.pointee.broker?.pointee.on_events,
        ].compactMap { $0 }
        guard !consumers.isEmpty else {
            throw HarnessError(code: .refused, status: .fatal, message: "the plugin consumes no events", call: "on_events")
        }
        for consume in consumers {
            // Call memory is freed after each call, so each consumer gets its own copy.
            let records = events.map { $0.record(in: host.callMemory) }
            try call("on_events") { instance in
                records.withUnsafeBufferPointer { consume(instance, $0.baseAddress, $0.count) }
            }
        }
    }

    /// Delivers one quote (time defaults to the host clock).
    public func send(
        quote symbol: String, bid: Fixed, ask: Fixed, bidSize: Fixed = 1, askSize: Fixed = 1, at time: Timestamp? = nil
    ) throws {
        try send([
            .quote(host.symbol(symbol), bid: bid, ask: ask, bidSize: bidSize, askSize: askSize, at: time ?? host.now)
        ])
    }

    /// Delivers one trade (time defaults to the host clock).
    public func send(trade symbol: String, price: Fixed, size: Fixed, at time: Timestamp? = nil) throws {
        try send([.trade(host.symbol(symbol), price: price, size: size, at: time ?? host.now)])
    }

    /// Delivers an order update to the strategy (`on_order_update`; ignored when the plugin leaves it NULL).
    public func send(update: OrderUpdate) throws {
        let strategy = try capability(\.strategy, "strategy")
        guard let onUpdate = strategy.on_order_update else { return }
        let record = update.record(in: host.callMemory)
        try call("on_order_update") { instance in withUnsafePointer(to: record) { onUpdate(instance, $0) } }
    }

    /// Submits an order to the broker; an empty client order id gets the host's next one.
    public func submit(_ order: Order) throws -> OrderUpdate {
        let broker = try capability(\.broker, "broker")
        var order = order
        if order.clientOrderID.isEmpty { order.clientOrderID = host.nextClientOrderID() }
        if order.time == nil { order.time = host.now }
        let record = order.record(in: host.callMemory)
        var update: OrderUpdate?
        try call("submit") { instance in
            var out = ns_order_update()
            let status = withUnsafePointer(to: record) { broker.submit?(instance, $0, &out) ?? ns_status(NS_FATAL) }
            if status == ns_status(NS_OK) { update = OrderUpdate(record: out) }
            return status
        }
        return update!
    }

    /// Asks the broker about an order.
    public func query(clientOrderID: String) throws -> OrderUpdate {
        let broker = try capability(\.broker, "broker")
        let id = host.callMemory.str(clientOrderID)
        var update: OrderUpdate?
        try call("query") { instance in
            var out = ns_order_update()
            let status = broker.query?(instance, id, &out) ?? ns_status(NS_FATAL)
            if status == ns_status(NS_OK) { update = OrderUpdate(record: out) }
            return status
        }
        return update!
    }
}

// MARK: - Stream sources

extension PluginHarness {
    /// Calls `describe`.
    public func describeStream() throws -> StreamRequest {
        let source = try capability(\.stream_source, "stream source")
        var request: StreamRequest?
        try call("describe") { instance in
            var out = ns_stream_request()
            let status = source.describe?(instance, &out) ?? ns_status(NS_FATAL)
            if status == ns_status(NS_OK) { request = StreamRequest(record: out) }
            return status
        }
        return request!
    }

    /// Calls `on_open`.
    public func openStream() throws {
        let source = try capability(\.stream_source, "stream source")
        try call("on_open") { source.on_open?($0) ?? ns_status(NS_FATAL) }
    }

    /// Calls `on_frame` with one text frame.
    public func receive(frame: String) throws {
        let source = try capability(\.stream_source, "stream source")
        let text = host.callMemory.str(frame)
        try call("on_frame") { source.on_frame?($0, text) ?? ns_status(NS_FATAL) }
    }

    /// Calls `on_close`.
    public func closeStream() throws {
        let source = try capability(\.stream_source, "stream source")
        try call("on_close") { instance in
            source.on_close?(instance)
            return ns_status(NS_OK)
        }
    }
}
