import Foundation
import NightshiftKit
internal import NightshiftABI

/// The fake host's `ns_host` table: C entry points that find the host through `ctx` and record what the plugin did.
///
/// Every service checks the threading rule (only inside a call the host made into the instance) and records a
/// ``FakeHost/violations`` entry when it is broken.
extension FakeHost {
    static func from(_ ctx: UnsafeMutableRawPointer?) -> FakeHost {
        Unmanaged<FakeHost>.fromOpaque(ctx!).takeUnretainedValue()
    }

    /// Records a violation when a service is called outside a host call.
    func checkInCall(_ service: String) {
        if !inCall { violations.append("\(service) called outside a call into the instance") }
    }

    func makeServiceTable() -> ns_host {
        var host = ns_host()
        host.size = UInt32(MemoryLayout<ns_host>.size)
        host.abi_major = UInt16(NS_ABI_MAJOR)
        host.abi_minor = UInt16(NS_ABI_MINOR)
        host.ctx = Unmanaged.passUnretained(self).toOpaque()
        host.log = { ctx, level, type, message, fields, count in
            FakeHost.from(ctx).recordLog(level, type, message, fields, count)
        }
        host.now_ns = { ctx in FakeHost.from(ctx).now.nanosecondsSinceEpoch }
        host.intern = { ctx, name in
            let host = FakeHost.from(ctx)
            host.checkInCall("intern")
            return host.intern(name.string)
        }
        host.symbol_name = { ctx, id in FakeHost.from(ctx).symbolNames[id] ?? ns_str() }
        host.emit = { ctx, events, count in
            let host = FakeHost.from(ctx)
            host.checkInCall("emit")
            guard let events else { return count == 0 ? ns_status(NS_OK) : host.fail(.fatal, "emit: NULL events") }
            for index in 0..<count { host.emitted.append(MarketEvent(record: events[index])) }
            return ns_status(NS_OK)
        }
        host.submit_order = { ctx, order in FakeHost.from(ctx).submitOrder(order) }
        host.http = { ctx, request, out in FakeHost.from(ctx).performHTTP(request, out) }
        host.config_get = { ctx, path, out in FakeHost.from(ctx).configGet(path.string, out) }
        host.stream_send = { ctx, frame in
            let host = FakeHost.from(ctx)
            host.checkInCall("stream_send")
            host.sentFrames.append(frame.string)
            return ns_status(NS_OK)
        }
        host.order_update = { ctx, update in
            let host = FakeHost.from(ctx)
            host.checkInCall("order_update")
            guard let update else { return host.fail(.fatal, "order_update: NULL update") }
            host.reportedUpdates.append(OrderUpdate(record: update.pointee))
            return ns_status(NS_OK)
        }
        host.last_error = { ctx in FakeHost.from(ctx).lastErrorText }
        return host
    }

    // MARK: - Services

    private func recordLog(
        _ level: Int32, _ type: ns_str, _ message: ns_str, _ fields: UnsafePointer<ns_field>?, _ count: Int
    ) {
        checkInCall("log")
        var metadata: Logger.Metadata = [:]
        for index in 0..<count {
            guard let field = fields?[index] else { break }
            metadata[field.key.string] =
                switch Int(field.type) {
                case NS_FIELD_INT: .int(field.i)
                case NS_FIELD_DOUBLE: .double(field.d)
                case NS_FIELD_BOOL: .bool(field.i != 0)
                default: .string(field.s.string)
                }
        }
        logs.append(
            LogRecord(
                level: Logger.Level(rawValue: level) ?? .critical, eventType: type.nonEmptyString,
                message: message.string, fields: metadata))
    }

    private func submitOrder(_ record: UnsafePointer<ns_order>?) -> ns_status {
        checkInCall("submit_order")
        guard let record else { return fail(.fatal, "submit_order: NULL order") }
        guard var order = Order(record: record.pointee) else {
            return fail(.fatal, "submit_order: unknown side, type, time in force or outcome")
        }
        guard order.quantity > .zero else { return fail(.fatal, "submit_order: quantity must be positive") }
        if let reason = risk?(order) {
            blockedOrders.append((order, reason))
            logs.append(LogRecord(level: .warning, eventType: "trade_blocked", message: reason, fields: [:]))
            return fail(.fatal, reason)
        }
        order.clientOrderID = nextClientOrderID()
        orders.append(order)
        return ns_status(NS_OK)
    }

    private func performHTTP(
        _ record: UnsafePointer<ns_http_request>?, _ out: UnsafeMutablePointer<ns_http_response>?
    ) -> ns_status {
        checkInCall("http")
        guard let record, let out else { return fail(.fatal, "http: NULL request or response") }
        let request = HTTPRequest(record: record.pointee)
        httpRequests.append(request)
        switch answer(for: request) {
        case .response(let response):
            out.pointee = response.record(in: callMemory)
            return ns_status(NS_OK)
        case .failure(let status, let message):
            return fail(status, message)
        case nil:
            return fail(.fatal, "no scripted response for \(request.method) \(request.url)")
        }
    }

    private func configGet(_ path: String, _ out: UnsafeMutablePointer<ns_str>?) -> ns_status {
        guard let out else { return fail(.fatal, "config_get: NULL out") }
        var node: Any? = try? JSONSerialization.jsonObject(with: Data(config.utf8), options: [.fragmentsAllowed])
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let object = node as? [String: Any] {
                node = object[String(component)]
            } else if let array = node as? [Any], let index = Int(component), array.indices.contains(index) {
                node = array[index]
            } else {
                node = nil
            }
        }
        let text: String
        switch node {
        case let string as String: text = string
        case let number as NSNumber:
            text = String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : "\(number)"
        default: return fail(.invalidConfig, "config has no scalar at \"\(path)\"")
        }
        out.pointee = instanceMemory.str(text)
        return ns_status(NS_OK)
    }
}
