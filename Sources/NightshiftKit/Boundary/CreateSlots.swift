internal import NightshiftABI

/// The `create` entry points, one per exported plugin type.
///
/// `create` is the only entry without an instance pointer, so nothing tells a shared C function which Swift type to
/// construct, and a `@convention(c)` closure cannot capture a generic parameter. Each exported type therefore gets
/// its own trampoline, differing only in the slot number it passes on.
enum CreateSlots {
    typealias Function = @convention(c) (
        UnsafePointer<ns_host>?, ns_str, ns_str, UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        UnsafeMutablePointer<ns_str>?
    ) -> ns_status

    static let count = 16

    static func function(_ slot: Int) -> Function {
        switch slot {
        case 0: { CreateSlots.create(slot: 0, $0, $1, $2, $3, $4) }
        case 1: { CreateSlots.create(slot: 1, $0, $1, $2, $3, $4) }
        case 2: { CreateSlots.create(slot: 2, $0, $1, $2, $3, $4) }
        case 3: { CreateSlots.create(slot: 3, $0, $1, $2, $3, $4) }
        case 4: { CreateSlots.create(slot: 4, $0, $1, $2, $3, $4) }
        case 5: { CreateSlots.create(slot: 5, $0, $1, $2, $3, $4) }
        case 6: { CreateSlots.create(slot: 6, $0, $1, $2, $3, $4) }
        case 7: { CreateSlots.create(slot: 7, $0, $1, $2, $3, $4) }
        case 8: { CreateSlots.create(slot: 8, $0, $1, $2, $3, $4) }
        case 9: { CreateSlots.create(slot: 9, $0, $1, $2, $3, $4) }
        case 10: { CreateSlots.create(slot: 10, $0, $1, $2, $3, $4) }
        case 11: { CreateSlots.create(slot: 11, $0, $1, $2, $3, $4) }
        case 12: { CreateSlots.create(slot: 12, $0, $1, $2, $3, $4) }
        case 13: { CreateSlots.create(slot: 13, $0, $1, $2, $3, $4) }
        case 14: { CreateSlots.create(slot: 14, $0, $1, $2, $3, $4) }
        case 15: { CreateSlots.create(slot: 15, $0, $1, $2, $3, $4) }
        default: preconditionFailure("create slot \(slot) out of range")
        }
    }

    /// Creates an instance of the type exported in `slot`: builds its context, runs its `init`, boxes it.
    static func create(
        slot: Int, _ host: UnsafePointer<ns_host>?, _ instanceName: ns_str, _ configJSON: ns_str,
        _ outInstance: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ outError: UnsafeMutablePointer<ns_str>?
    ) -> ns_status {
        func fail(_ status: ns_status, _ message: String) -> ns_status {
            outError?.pointee = CreateError.store(message)
            return status
        }
        guard let record = ExportRegistry.record(slot: slot) else { return fail(ABI.fatal, "unknown plugin type") }
        guard let host, let outInstance else { return fail(ABI.fatal, "create needs a host table and an out pointer") }
        guard host.pointee.abi_major == ABI.major else {
            return fail(
                ABI.fatal,
                "host ABI \(host.pointee.abi_major).\(host.pointee.abi_minor), plugin \(record.info.name) needs "
                    + "\(ABI.major).\(ABI.minor)")
        }
        let link = HostLink(host: host)
        let config = PluginConfig(json: SchemaDefaults.apply(schema: record.info.configSchema, to: configJSON.string))
        let context = PluginContext(instanceName: instanceName.string, config: config, link: link)
        do {
            let box = InstanceBox(record: record, context: context, storage: try record.make(context))
            outInstance.pointee = Unmanaged.passRetained(box).toOpaque()
            return ABI.ok
        } catch {
            let (status, message) = BoundaryFailure.classify(error, creating: true)
            return fail(status, message)
        }
    }
}
