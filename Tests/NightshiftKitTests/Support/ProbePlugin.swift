import NightshiftKit

/// A plugin that adopts every capability and does, per its configuration, whatever a test needs it to.
///
/// `mode` picks what `init` does (`"ok"`, `"invalid"`, `"decode"`, `"other"`); `fail_with` picks what the next
/// event call throws (`"retry"`, `"fatal"`, `"other"`). Everything else it does is echoed through the context, so
/// tests see each service's effect on the fake host.
struct ProbePlugin: PollSource, StreamSource, Strategy, Broker {
    static let info = PluginInfo(
        name: "probe", version: "0.0.1", description: "Exercises the boundary.",
        configSchema: #"""
            {"type":"object","additionalProperties":false,"properties":{
              "mode":{"type":"string","enum":["ok","invalid","decode","other"],"default":"ok"},
              "fail_with":{"type":"string","default":""},
              "urls":{"type":"array","items":{"type":"string"},"default":[]},
              "limits":{"type":"object","properties":{"max":{"type":"integer","default":7}}},
              "count":{"type":"integer"}
            }}
            """#)

    struct Config: Decodable {
        var mode: String
        var failWith: String
        var urls: [String]
        var count: Int?
    }

    struct ModeAsNumber: Decodable {
        var mode: Int
    }

    struct OtherError: Error, CustomStringConvertible {
        var description: String { "something else went wrong" }
    }

    let context: PluginContext
    var config: Config
    var pending: [String]
    var responses: [HTTPResponse] = []
    var cycles: [Timestamp] = []

    init(context: PluginContext) throws {
        self.context = context
        context.log.debug("config", metadata: ["json": "\(context.config.json)"])
        config = try context.config.decode(Config.self)
        pending = config.urls
        switch config.mode {
        case "invalid": throw PluginError.invalidConfig("mode says the config is unusable")
        case "decode": _ = try context.config.decode(ModeAsNumber.self)
        case "other": throw OtherError()
        default: break
        }
    }

    private func failIfAsked() throws {
        switch config.failWith {
        case "retry": throw PluginError.retry("try again later")
        case "fatal": throw PluginError.fatal("cannot go on")
        case "other": throw OtherError()
        default: break
        }
    }

    // MARK: - Poll source

    mutating func beginCycle(at time: Timestamp) throws {
        cycles.append(time)
        pending = config.urls
        try failIfAsked()
    }

    mutating func nextRequest() throws -> HTTPRequest? {
        guard !pending.isEmpty else { return nil }
        let url = pending.removeFirst()
        return HTTPRequest(
            method: "POST", url: url, headers: [HTTPHeader("X-Probe", url)], body: Array("body of \(url)".utf8),
            timeout: .milliseconds(1500), idempotencyKey: "key-\(url)", label: "probe")
    }

    mutating func handle(response: HTTPResponse) throws {
        if response.status == 503 { throw PluginError.retry("status 503") }
        responses.append(response)
        let symbol = context.symbol("RESP")
        try context.emit(
            MarketEvent(kind: .custom, symbol: symbol, time: context.now),
            payload: "{\"status\":\(response.status),\"body\":\"\(response.text)\"}")
    }

    // MARK: - Stream source

    mutating func streamRequest() throws -> StreamRequest {
        StreamRequest(url: "wss://127.0.0.1/stream", headers: [HTTPHeader("Authorization", "Bearer token")])
    }

    mutating func connectionOpened() throws {
        try context.send(text: #"{"action":"subscribe"}"#)
    }

    mutating func handle(frame: String) throws {
        if frame == "bye" { throw PluginError.retry("server said bye") }
        if frame.hasPrefix("fetch ") {
            // A plugin doing its own I/O through the host: errors propagate with the host's status and reason.
            let response = try context.http(.get(String(frame.dropFirst(6)), headers: [HTTPHeader("Accept", "text/plain")]))
            try context.send(text: "\(response.status) \(response.headers.value(of: "Content-Type") ?? "-") \(response.text)")
            return
        }
        try context.send(text: "echo:\(frame)")
    }

    mutating func connectionClosed() {
        context.log.notice("closed")
    }

    // MARK: - Strategy and broker

    mutating func handle(events: EventBatch) throws {
        try failIfAsked()
        var copies: [MarketEvent] = []
        for event in events {
            var copy = event
            copy.price = event.price + 1
            copies.append(copy)
        }
        try context.emit(copies)
    }

    mutating func handle(update: OrderUpdate) throws {
        context.log.event(
            "probe_update", message: update.reason ?? "",
            fields: ["status": "\(update.status)", "filled": .fixed(update.filled)])
    }

    mutating func submit(_ order: Order) throws -> OrderUpdate {
        OrderUpdate(
            symbol: order.symbol, status: .new, remaining: order.quantity, time: order.time,
            clientOrderID: order.clientOrderID, venueOrderID: "venue-\(order.clientOrderID)",
            reason: "\(order.side) \(order.type) \(order.timeInForce) \(order.outcome) \(order.reason)")
    }

    mutating func query(clientOrderID: String) throws -> OrderUpdate {
        if clientOrderID == "missing" { throw PluginError.fatal("no such order") }
        return OrderUpdate(symbol: context.symbol("Q"), status: .filled, filled: 2, averagePrice: 1.5,
            clientOrderID: clientOrderID)
    }
}

/// A strategy that adopts nothing else, with the default schema.
struct PlainStrategy: Strategy {
    static let info = PluginInfo(name: "plain", version: "2.1.0")
    let context: PluginContext

    init(context: PluginContext) throws {
        self.context = context
    }

    mutating func handle(events: EventBatch) throws {
        for event in events {
            try context.submit(
                .limit(.buy, 2, of: event.symbol, at: event.bid, timeInForce: .immediateOrCancel, reason: "bid seen"))
        }
    }
}
