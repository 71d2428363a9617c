import NightshiftABI

/// The C functions behind `ns_host`: each recovers its `PluginInstance` from `ctx` and defers to the `InstanceHost`.
///
/// These are the only places where host services cross the C boundary. They never trap on plugin input: bad pointers
/// and lengths are the plugin's undefined behaviour, but absent or empty values are handled.
enum HostTable {
    static func make(context: UnsafeMutableRawPointer?) -> ns_host {
        var table = ns_host()
        table.size = UInt32(MemoryLayout<ns_host>.size)
        table.abi_major = UInt16(NS_ABI_MAJOR)
        table.abi_minor = UInt16(NS_ABI_MINOR)
        table.ctx = context
        table.log = { ctx, level, type, message, fields, count in
            guard let instance = HostTable.instance(ctx), let host = instance.host else { return }
            let buffer = UnsafeBufferPointer(start: fields, count: fields == nil ? 0 : count)
            host.log(from: instance, level: level, type: HostTable.pluginEventType(type.string), message: message.string, fields: buffer)
        }
        table.now_ns = { ctx in HostTable.instance(ctx)?.host?.now() ?? 0 }
        table.intern = { ctx, symbol in
            HostTable.instance(ctx)?.host?.symbols.intern(symbol.string) ?? 0
        }
        table.symbol_name = { ctx, symbol in
            HostTable.instance(ctx)?.host?.symbols.cName(symbol) ?? ns_str(ptr: nil, len: 0)
        }
        table.emit = { ctx, events, count in
            guard let instance = HostTable.instance(ctx), let host = instance.host else { return Status.fatal }
            guard instance.plugin.info.kinds.contains(.pollSource) || instance.plugin.info.kinds.contains(.streamSource) else {
                instance.setHostError("emit is for sources; \(instance.name) is not a source")
                return Status.fatal
            }
            guard let events, count > 0 else { return Status.ok }
            host.emit(from: instance, events: UnsafeBufferPointer(start: events, count: count))
            return Status.ok
        }
        table.submit_order = { ctx, order in
            guard let instance = HostTable.instance(ctx), let host = instance.host, let order else { return Status.fatal }
            if let blocked = host.submit(from: instance, order: order.pointee) {
                instance.setHostError(blocked)
                return Status.fatal
            }
            return Status.ok
        }
        table.http = { ctx, request, out in
            guard let instance = HostTable.instance(ctx), let host = instance.host, let request, let out else { return Status.fatal }
            let (status, result) = host.http(from: instance, request: request.pointee)
            out.pointee = instance.response(result)
            if status != Status.ok { instance.setHostError(result.error.isEmpty ? "HTTP \(result.status)" : result.error) }
            return status
        }
        table.config_get = { ctx, path, out in
            guard let instance = HostTable.instance(ctx), let out else { return Status.fatal }
            guard let value = instance.configScalars[path.string] else {
                instance.setHostError("no config value at \(path.string)")
                out.pointee = ns_str(ptr: nil, len: 0)
                return Status.invalidConfig
            }
            out.pointee = value
            return Status.ok
        }
        table.stream_send = { ctx, frame in
            guard let instance = HostTable.instance(ctx), let host = instance.host else { return Status.fatal }
            if let failure = host.streamSend(from: instance, frame: frame.string) {
                instance.setHostError(failure)
                return Status.retry
            }
            return Status.ok
        }
        table.order_update = { ctx, update in
            guard let instance = HostTable.instance(ctx), let host = instance.host, let update else { return Status.fatal }
            guard instance.plugin.info.kinds.contains(.broker) else {
                instance.setHostError("order_update is for brokers; \(instance.name) is not a broker")
                return Status.fatal
            }
            host.orderUpdate(from: instance, update: update.pointee)
            return Status.ok
        }
        table.last_error = { ctx in HostTable.instance(ctx)?.hostError ?? ns_str(ptr: nil, len: 0) }
        return table
    }

    /// Event types the host writes itself; a plugin using one gets `plugin.<type>`, so the morning summary's counts
    /// of retries, reconnects and fills only ever come from the host.
    static let reservedTypes: Set<String> = [
        "host_started", "host_stopped", "host_escalated", "host_start_failed", "shutdown_requested", "run_limit_reached",
        "plugin_started", "plugin_failed", "plugin_restarted", "plugin_escalated", "plugin_stalled",
        "order_submitted", "order_accepted", "order_rejected", "order_canceled", "order_unknown", "order_reconciled",
        "order_update_ignored", "order_update_anomaly", "trade_executed",
        "attempt_failed", "retry_exhausted", "request_failed", "cycle_skipped", "cycle_missed",
        "stream_connected", "stream_disconnected", "stream_stalled", "stream_gave_up",
        "event_store_unavailable", "event_store_recovered",
    ]

    static func pluginEventType(_ type: String) -> String {
        if type.isEmpty { return "log" }
        return reservedTypes.contains(type) ? "plugin.\(type)" : type
    }

    private static func instance(_ ctx: UnsafeMutableRawPointer?) -> PluginInstance? {
        guard let ctx else { return nil }
        return Unmanaged<PluginInstance>.fromOpaque(ctx).takeUnretainedValue()
    }
}

extension PluginInstance {
    /// An `ns_http_response` over scratch memory, valid until the plugin's current call returns.
    func response(_ result: PluginHTTPResult) -> ns_http_response {
        var response = ns_http_response()
        response.status = result.status
        let headers = result.headers.map { ns_http_header(name: scratch.str($0.0), value: scratch.str($0.1)) }
        response.headers = scratch.array(headers)
        response.n_headers = headers.count
        response.body = result.body.withUnsafeBytes { scratch.bytes($0) }
        response.error = scratch.str(result.error)
        return response
    }
}
