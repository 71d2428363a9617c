import Foundation
import NightshiftABI
import Synchronization

/// The runtime's answer to plugins' host-service calls: logging, emitting, orders, HTTP and stream frames.
final class RuntimeHost: InstanceHost, @unchecked Sendable {
    let symbols: SymbolTable
    let log: any HostLog
    // Set once during start-up, before any plugin call; read-only afterwards.
    var bus: EventBus?
    var router: OrderRouter?
    var http: [String: HTTPService] = [:]
    var streams: [String: any StreamSending] = [:]
    /// The clock plugins read through `now_ns`, ns since the epoch: wall time, or a replay's simulated time.
    var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }
    /// Called after each batch a source emitted was published, on the source's queue (a replay settles here).
    var afterEmit: (@Sendable (PluginInstance) -> Void)?
    private let emitted = Atomic<Int>(0)

    init(symbols: SymbolTable, log: any HostLog) {
        self.symbols = symbols
        self.log = log
    }

    /// Events accepted from sources so far.
    var emittedCount: Int { emitted.load(ordering: .relaxed) }

    func now() -> Int64 { clock() }

    func log(from instance: PluginInstance, level: Int32, type: String, message: String, fields: UnsafeBufferPointer<ns_field>) {
        var values: [String: HostLogValue] = [:]
        for field in fields {
            let key = field.key.string
            guard !key.isEmpty else { continue }
            switch field.type {
            case Int32(NS_FIELD_INT): values[key] = .int(field.i)
            case Int32(NS_FIELD_DOUBLE): values[key] = .double(field.d)
            case Int32(NS_FIELD_BOOL): values[key] = .bool(field.i != 0)
            default: values[key] = .string(field.s.string)
            }
        }
        log.record(type, level: HostLogLevel(abi: level), instance: instance.name, message: message, fields: values)
    }

    func emit(from instance: PluginInstance, events: UnsafeBufferPointer<ns_event>) {
        emitted.add(events.count, ordering: .relaxed)
        instance.lastEmittedAt.store(Int64(DispatchTime.now().uptimeNanoseconds), ordering: .relaxed)
        streams[instance.name]?.emitted(events.count)
        router?.observe(events)
        bus?.publish(from: instance, events: events)
        afterEmit?(instance)
    }

    func submit(from instance: PluginInstance, order: ns_order) -> String? {
        guard let router else { return "orders are not accepted before the runtime has started" }
        return router.submit(from: instance, order: order)
    }

    func http(from instance: PluginInstance, request: ns_http_request) -> (ns_status, PluginHTTPResult) {
        guard let service = http[instance.name] else {
            return (Status.fatal, PluginHTTPResult(status: 0, error: "no HTTP service for \(instance.name)"))
        }
        let converted = HTTPService.request(request)
        var call = service
        if request.label.len > 0 { call.retry.label = request.label.string }
        let idempotent = converted.method.isSafeToRepeat || request.idempotency_key.len > 0
        let timeout: Duration? = request.timeout_ns > 0 ? .nanoseconds(request.timeout_ns) : nil
        return instance.untimed { call.perform(converted, idempotent: idempotent, requestTimeout: timeout) }
    }

    func streamSend(from instance: PluginInstance, frame: String) -> String? {
        guard let stream = streams[instance.name] else { return "\(instance.name) has no stream" }
        return stream.send(frame)
    }

    func orderUpdate(from instance: PluginInstance, update: ns_order_update) {
        router?.apply(OrderUpdate(update), from: instance)
    }
}

/// Something that can send a text frame on an instance's open stream.
protocol StreamSending: Sendable {
    /// nil when sent, else why not.
    func send(_ frame: String) -> String?
    /// The instance emitted `count` events: its stream carries data, which is what makes a link healthy.
    func emitted(_ count: Int)
}
