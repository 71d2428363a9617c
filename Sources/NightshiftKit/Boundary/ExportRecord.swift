internal import NightshiftABI

/// One exported plugin type: its C table (built once, never freed) and the Swift adapters the C callbacks use.
///
/// The C callbacks cannot be generic, so each capability the type adopts is captured here as closures over the
/// concrete type, found by opening `P.self as? any Strategy.Type` and friends; the kinds bits follow from the same
/// checks.
final class ExportRecord: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; the table memory is written only in init.
    let type: ObjectIdentifier
    let info: PluginInfo
    let table: UnsafeMutablePointer<ns_plugin_v1>
    let make: (PluginContext) throws -> AnyObject
    let poll: PollAdapter?
    let stream: StreamAdapter?
    let strategy: StrategyAdapter?
    let broker: BrokerAdapter?

    init<P: Plugin>(_ plugin: P.Type, slot: Int) {
        type = ObjectIdentifier(plugin)
        info = P.info
        make = { context in PluginStorage(try P(context: context)) }
        poll = (plugin as? any PollSource.Type).map { PollAdapter($0) }
        stream = (plugin as? any StreamSource.Type).map { StreamAdapter($0) }
        strategy = (plugin as? any Strategy.Type).map { StrategyAdapter($0) }
        broker = (plugin as? any Broker.Type).map { BrokerAdapter($0) }

        var kinds: UInt32 = 0
        if poll != nil { kinds |= ABI.kindPollSource }
        if stream != nil { kinds |= ABI.kindStreamSource }
        if strategy != nil { kinds |= ABI.kindStrategy }
        if broker != nil { kinds |= ABI.kindBroker }

        var table = ns_plugin_v1()
        table.size = UInt32(MemoryLayout<ns_plugin_v1>.size)
        table.abi_major = ABI.major
        table.abi_minor = ABI.minor
        table.layout_hash = ns_layout_hash()
        table.name = permanentString(info.name)
        table.version = permanentString(info.version)
        table.description = permanentString(info.description)
        table.kinds = kinds
        table.config_schema = permanentString(info.configSchema)
        table.create = CreateSlots.function(slot)
        table.destroy = { inst in
            if let inst { Unmanaged<InstanceBox>.fromOpaque(inst).release() }
        }
        table.last_error = { inst in
            InstanceBox.unretained(inst)?.lastError ?? ns_str()
        }
        table.poll_source = poll.map { _ in permanent(Callbacks.pollSource()) }
        table.stream_source = stream.map { _ in permanent(Callbacks.streamSource()) }
        table.strategy = strategy.map { _ in permanent(Callbacks.strategy()) }
        table.broker = broker.map { _ in permanent(Callbacks.broker()) }
        self.table = .allocate(capacity: 1)
        self.table.initialize(to: table)
    }
}

/// Copies a value into memory that is never freed.
private func permanent<T>(_ value: T) -> UnsafePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    pointer.initialize(to: value)
    return UnsafePointer(pointer)
}

// MARK: - Capability adapters

/// A poll source's methods over a type-erased `PluginStorage`.
struct PollAdapter {
    let beginCycle: (AnyObject, Timestamp) throws -> Void
    let nextRequest: (AnyObject) throws -> HTTPRequest?
    let handleResponse: (AnyObject, HTTPResponse) throws -> Void

    init<S: PollSource>(_: S.Type) {
        beginCycle = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.beginCycle(at: $1) }
        nextRequest = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.nextRequest() }
        handleResponse = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.handle(response: $1) }
    }
}

/// A stream source's methods over a type-erased `PluginStorage`.
struct StreamAdapter {
    let describe: (AnyObject) throws -> StreamRequest
    let opened: (AnyObject) throws -> Void
    let frame: (AnyObject, String) throws -> Void
    let closed: (AnyObject) -> Void

    init<S: StreamSource>(_: S.Type) {
        describe = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.streamRequest() }
        opened = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.connectionOpened() }
        frame = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.handle(frame: $1) }
        closed = { unsafeDowncast($0, to: PluginStorage<S>.self).plugin.connectionClosed() }
    }
}

/// A strategy's methods over a type-erased `PluginStorage`.
struct StrategyAdapter {
    let events: (AnyObject, EventBatch) throws -> Void
    let update: (AnyObject, OrderUpdate) throws -> Void

    init<S: Strategy>(_: S.Type) {
        events = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.handle(events: $1) }
        update = { try unsafeDowncast($0, to: PluginStorage<S>.self).plugin.handle(update: $1) }
    }
}

/// A broker's methods over a type-erased `PluginStorage`.
struct BrokerAdapter {
    let submit: (AnyObject, Order) throws -> OrderUpdate
    let query: (AnyObject, String) throws -> OrderUpdate
    let events: (AnyObject, EventBatch) throws -> Void

    init<B: Broker>(_: B.Type) {
        submit = { try unsafeDowncast($0, to: PluginStorage<B>.self).plugin.submit($1) }
        query = { try unsafeDowncast($0, to: PluginStorage<B>.self).plugin.query(clientOrderID: $1) }
        events = { try unsafeDowncast($0, to: PluginStorage<B>.self).plugin.handle(events: $1) }
    }
}
