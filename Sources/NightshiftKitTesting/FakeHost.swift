import NightshiftKit
internal import NightshiftABI

/// A host for tests: the service table (`ns_host`) a plugin calls, backed by a virtual clock, scripted HTTP and
/// captured outputs.
///
/// Everything a plugin does through its context lands here — emitted events, submitted orders, reported updates,
/// log lines and event rows, stream frames, HTTP requests — for a test to assert on. A ``PluginHarness`` drives the
/// plugin's side; one host serves one instance.
public final class FakeHost {
    /// One log line or event row a plugin wrote.
    public struct LogRecord: Sendable, Hashable, CustomStringConvertible {
        public var level: Logger.Level
        /// The row's type; `nil` for a plain log line.
        public var eventType: String?
        public var message: String
        public var fields: Logger.Metadata

        public var description: String {
            "[\(level)] \(eventType.map { "\($0): " } ?? "")\(message) \(fields.sorted { $0.key < $1.key })"
        }
    }

    /// A scripted answer to an HTTP request.
    public enum HTTPScript: Sendable, Hashable {
        /// The host received this response (of any HTTP status).
        case response(HTTPResponse)
        /// The host's retry policy gave up: the service returns `status` with `message` as its last error.
        case failure(PluginStatus, String)
    }

    // MARK: - Clock

    /// The virtual clock the plugin reads through `now_ns`.
    public private(set) var now: Timestamp

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        now = now + duration
    }

    /// Sets the clock.
    public func setClock(to time: Timestamp) {
        now = time
    }

    // MARK: - Captured outputs

    /// Events the plugin emitted, copied as the host would (payloads included).
    public internal(set) var emitted: [MarketEvent] = []
    /// Orders the plugin submitted and the host accepted, with their assigned client order ids.
    public internal(set) var orders: [Order] = []
    /// Orders a risk check blocked, with the reason.
    public internal(set) var blockedOrders: [(order: Order, reason: String)] = []
    /// Order updates a broker reported asynchronously.
    public internal(set) var reportedUpdates: [OrderUpdate] = []
    /// Log lines and event rows, in order.
    public internal(set) var logs: [LogRecord] = []
    /// Text frames a stream source sent.
    public internal(set) var sentFrames: [String] = []
    /// HTTP requests performed through the `http` service.
    public internal(set) var httpRequests: [HTTPRequest] = []
    /// Broken host rules: a service called outside a host call, or with bad arguments.
    public internal(set) var violations: [String] = []

    /// Event rows of one type.
    public func events(ofType type: String) -> [LogRecord] {
        logs.filter { $0.eventType == type }
    }

    /// Forgets every captured output.
    public func clearCaptured() {
        emitted = []
        orders = []
        blockedOrders = []
        reportedUpdates = []
        logs = []
        sentFrames = []
        httpRequests = []
    }

    // MARK: - Scripting

    /// A risk check run on every submitted order: a returned reason blocks the order (the service returns
    /// `NS_FATAL` with the reason as its last error, as the real host does).
    public var risk: ((Order) -> String?)?

    /// Queues answers for requests to `url` (exact match, query included), consumed in order.
    public func script(_ url: String, _ answers: HTTPScript...) {
        scripts[url, default: []].append(contentsOf: answers)
    }

    /// Queues responses for requests to `url`.
    public func script(_ url: String, responses: HTTPResponse...) {
        scripts[url, default: []].append(contentsOf: responses.map { .response($0) })
    }

    /// Answers requests no script matches; `nil` fails them.
    public var httpFallback: ((HTTPRequest) -> HTTPScript?)?

    /// The `size` the service table declares; lower it to play an older host whose table ends earlier (services
    /// past it are absent to the plugin).
    public var declaredTableSize: Int {
        get { Int(table.pointee.size) }
        set { table.pointee.size = UInt32(newValue) }
    }

    /// The byte offset of a service in the table, for ``declaredTableSize``: `"log"`, `"now_ns"`, `"intern"`,
    /// `"symbol_name"`, `"emit"`, `"submit_order"`, `"http"`, `"config_get"`, `"stream_send"`, `"order_update"`,
    /// `"last_error"`.
    public static func offset(ofService name: String) -> Int? {
        let offsets: [String: Int?] = [
            "log": MemoryLayout<ns_host>.offset(of: \.log),
            "now_ns": MemoryLayout<ns_host>.offset(of: \.now_ns),
            "intern": MemoryLayout<ns_host>.offset(of: \.intern),
            "symbol_name": MemoryLayout<ns_host>.offset(of: \.symbol_name),
            "emit": MemoryLayout<ns_host>.offset(of: \.emit),
            "submit_order": MemoryLayout<ns_host>.offset(of: \.submit_order),
            "http": MemoryLayout<ns_host>.offset(of: \.http),
            "config_get": MemoryLayout<ns_host>.offset(of: \.config_get),
            "stream_send": MemoryLayout<ns_host>.offset(of: \.stream_send),
            "order_update": MemoryLayout<ns_host>.offset(of: \.order_update),
            "last_error": MemoryLayout<ns_host>.offset(of: \.last_error),
        ]
        return offsets[name] ?? nil
    }

    // MARK: - Symbols

    /// The id the plugin gets for `name`.
    public func symbol(_ name: String) -> Symbol {
        Symbol(id: intern(name))
    }

    /// The name of a symbol; empty when unknown.
    public func name(of symbol: Symbol) -> String {
        symbolNames[symbol.id]?.string ?? ""
    }

    // MARK: - State

    var scripts: [String: [HTTPScript]] = [:]
    var symbolIDs: [String: UInt32] = [:]
    var symbolNames: [UInt32: ns_str] = [:]
    var lastErrorText = ns_str()
    var orderSequence = 0
    /// The instance's configuration JSON, for `config_get`.
    var config = "{}"
    var instanceName = "test"
    /// Whether the host is inside a call into the instance (services are legal only then).
    var inCall = false
    let processMemory = HostMemory()
    let instanceMemory = HostMemory()
    let callMemory = HostMemory()
    let errorMemory = HostMemory()
    private(set) var table: UnsafeMutablePointer<ns_host>!

    /// Creates a host whose clock starts at `start` (default 2025-01-01T00:00:00Z).
    public init(start: Timestamp = Timestamp(secondsSinceEpoch: 1_735_689_600)) {
        now = start
        table = .allocate(capacity: 1)
        table.initialize(to: makeServiceTable())
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    func intern(_ name: String) -> UInt32 {
        if let id = symbolIDs[name] { return id }
        let id = UInt32(symbolIDs.count + 1)
        symbolIDs[name] = id
        symbolNames[id] = processMemory.str(name)
        return id
    }

    /// Sets the host's last error for the instance and returns `status`.
    func fail(_ status: PluginStatus, _ message: String) -> ns_status {
        errorMemory.release()
        lastErrorText = errorMemory.str(message)
        return status.rawValue
    }

    /// The next scripted answer for `request`.
    func answer(for request: HTTPRequest) -> HTTPScript? {
        if var queue = scripts[request.url], !queue.isEmpty {
            let answer = queue.removeFirst()
            scripts[request.url] = queue
            return answer
        }
        return httpFallback?(request)
    }

    /// The next deterministic client order id.
    func nextClientOrderID() -> String {
        orderSequence += 1
        return "\(instanceName)-\(orderSequence)"
    }
}
