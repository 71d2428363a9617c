/// A scheduled data source that describes HTTP requests and parses the responses; the host performs them.
///
/// Per cycle the host calls ``beginCycle(at:)``, then ``nextRequest()`` until it returns `nil`, performing each
/// request under the retry policy and passing the result to ``handle(response:)``. A source with nothing to fetch
/// emits from `beginCycle` and keeps the defaults for the other two.
public protocol PollSource: Plugin {
    /// Starts a cycle. May emit.
    mutating func beginCycle(at time: Timestamp) throws
    /// The next request of this cycle, or `nil` when the cycle is complete.
    mutating func nextRequest() throws -> HTTPRequest?
    /// Parses a response of any status. Throw ``PluginError/retry(_:file:line:)`` to have the request retried
    /// (e.g. a truncated body). May emit.
    mutating func handle(response: HTTPResponse) throws
}

extension PollSource {
    public mutating func nextRequest() throws -> HTTPRequest? { nil }
    public mutating func handle(response: HTTPResponse) throws {}
}

/// A streaming data source: the host owns the WebSocket (TLS, reconnects, heartbeats); the plugin speaks the protocol.
///
/// Throwing ``PluginError/retry(_:file:line:)`` from a callback drops the connection and reconnects under the
/// policy; ``PluginError/fatal(_:file:line:)`` stops the stream for good.
public protocol StreamSource: Plugin {
    /// Where to connect.
    mutating func streamRequest() throws -> StreamRequest
    /// The connection is open: reset protocol state; may send (authenticate, subscribe).
    mutating func connectionOpened() throws
    /// One complete text frame. May send, may emit.
    mutating func handle(frame: String) throws
    /// The connection is gone, for any reason.
    mutating func connectionClosed()
}

extension StreamSource {
    public mutating func connectionOpened() throws {}
    public mutating func connectionClosed() {}
}

/// A strategy: consumes events and submits orders through ``PluginContext/submit(_:)``.
public protocol Strategy: Plugin {
    /// A batch of events, in order per source. Valid only during the call.
    mutating func handle(events: EventBatch) throws
    /// An update on one of this strategy's orders.
    mutating func handle(update: OrderUpdate) throws
}

extension Strategy {
    public mutating func handle(update: OrderUpdate) throws {}
}

/// A broker: executes orders the host routes to it.
///
/// A type that is also a ``Strategy`` has one `handle(events:)`, serving both.
public protocol Broker: Plugin {
    /// Submits an order (its client order id set by the host) and returns what is known.
    ///
    /// When the outcome is unknown (a timeout after sending) return status ``OrderUpdate/Status/unknown``: the host
    /// reconciles with ``query(clientOrderID:)`` and never blindly resubmits.
    mutating func submit(_ order: Order) throws -> OrderUpdate
    /// Looks an order up by its client order id.
    mutating func query(clientOrderID: String) throws -> OrderUpdate
    /// Market events the broker is subscribed to; a paper broker fills against them.
    mutating func handle(events: EventBatch) throws
}

extension Broker {
    public mutating func handle(events: EventBatch) throws {}
}
