internal import NightshiftABI

/// The C capability tables: non-generic `@convention(c)` entry points that find the instance's adapters in its box.
///
/// Each entry goes through ``InstanceBox/call(_:_:)``; outputs written to out-parameters point into the instance's
/// output arena and stay valid until the host's next call on the instance.
enum Callbacks {
    static func pollSource() -> ns_poll_source_v1 {
        var table = ns_poll_source_v1()
        table.size = UInt32(MemoryLayout<ns_poll_source_v1>.size)
        table.begin_cycle = { inst, now in
            InstanceBox.call(inst) { box in
                try box.record.poll?.beginCycle(box.storage, Timestamp(nanosecondsSinceEpoch: now))
            }
        }
        table.next_request = { inst, out in
            InstanceBox.call(inst) { box in
                let request = try box.record.poll?.nextRequest(box.storage)
                out?.pointee = request.map { box.outputs.request($0) } ?? ns_http_request()
            }
        }
        table.on_response = { inst, response in
            InstanceBox.call(inst) { box in
                guard let response else { throw PluginError(code: .fatal, message: "on_response without a response") }
                try box.record.poll?.handleResponse(box.storage, HTTPResponse(borrowing: response.pointee))
            }
        }
        return table
    }

    static func streamSource() -> ns_stream_source_v1 {
        var table = ns_stream_source_v1()
        table.size = UInt32(MemoryLayout<ns_stream_source_v1>.size)
        table.describe = { inst, out in
            InstanceBox.call(inst) { box in
                guard let adapter = box.record.stream else { return }
                out?.pointee = box.outputs.streamRequest(try adapter.describe(box.storage))
            }
        }
        table.on_open = { inst in
            InstanceBox.call(inst) { box in try box.record.stream?.opened(box.storage) }
        }
        table.on_frame = { inst, frame in
            InstanceBox.call(inst) { box in try box.record.stream?.frame(box.storage, frame.string) }
        }
        table.on_close = { inst in
            _ = InstanceBox.call(inst) { box in box.record.stream?.closed(box.storage) }
        }
        return table
    }

    static func strategy() -> ns_strategy_v1 {
        var table = ns_strategy_v1()
        table.size = UInt32(MemoryLayout<ns_strategy_v1>.size)
        table.on_events = { inst, events, count in
            InstanceBox.call(inst) { box in
                try box.record.strategy?.events(box.storage, EventBatch(UnsafeBufferPointer(start: events, count: count)))
            }
        }
        table.on_order_update = { inst, update in
            InstanceBox.call(inst) { box in
                guard let update else { throw PluginError(code: .fatal, message: "on_order_update without an update") }
                try box.record.strategy?.update(box.storage, OrderUpdate(borrowing: update.pointee))
            }
        }
        return table
    }

    static func broker() -> ns_broker_v1 {
        var table = ns_broker_v1()
        table.size = UInt32(MemoryLayout<ns_broker_v1>.size)
        table.submit = { inst, order, out in
            InstanceBox.call(inst) { box in
                guard let order, let adapter = box.record.broker else {
                    throw PluginError(code: .fatal, message: "submit without an order")
                }
                let update = try adapter.submit(box.storage, try Order(borrowing: order.pointee))
                out?.pointee = box.outputs.update(update)
            }
        }
        table.query = { inst, clientOrderID, out in
            InstanceBox.call(inst) { box in
                guard let adapter = box.record.broker else { return }
                out?.pointee = box.outputs.update(try adapter.query(box.storage, clientOrderID.string))
            }
        }
        table.on_events = { inst, events, count in
            InstanceBox.call(inst) { box in
                try box.record.broker?.events(box.storage, EventBatch(UnsafeBufferPointer(start: events, count: count)))
            }
        }
        return table
    }
}
