import NightshiftABI

/// An HTTP exchange as the host hands it back to a plugin.
public struct PluginHTTPResult: Sendable {
    public var status: Int32
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Transport error text when `status == 0`.
    public var error: String

    public init(status: Int32, headers: [(String, String)] = [], body: [UInt8] = [], error: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
        self.error = error
    }
}

/// What the host does when a plugin calls a host service. The runtime implements it; `PluginInstance` translates the
/// C calls into these, so the runtime never handles raw `ns_host` plumbing.
///
/// Every method is called on the thread currently calling into `instance`.
protocol InstanceHost: AnyObject, Sendable {
    var symbols: SymbolTable { get }
    /// The host clock, ns since the Unix epoch.
    func now() -> Int64
    /// A structured event row from a plugin (`type` "log" for plain log lines).
    func log(from instance: PluginInstance, level: Int32, type: String, message: String, fields: UnsafeBufferPointer<ns_field>)
    /// Events from a source; copied before returning.
    func emit(from instance: PluginInstance, events: UnsafeBufferPointer<ns_event>)
    /// An order from a strategy: nil when accepted for routing, else the reason it was blocked.
    func submit(from instance: PluginInstance, order: ns_order) -> String?
    /// An HTTP request under the instance's retry policy.
    func http(from instance: PluginInstance, request: ns_http_request) -> (ns_status, PluginHTTPResult)
    /// A text frame on the instance's open stream; nil when sent, else why not.
    func streamSend(from instance: PluginInstance, frame: String) -> String?
    /// An asynchronous order update from a broker.
    func orderUpdate(from instance: PluginInstance, update: ns_order_update)
}
