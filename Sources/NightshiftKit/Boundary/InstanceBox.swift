internal import NightshiftABI

/// The state behind one instance's opaque `void *inst`: the plugin value, its context and its last error.
///
/// The host holds one retained reference (from `create` until `destroy`). Every entry goes through ``call(_:_:)``,
/// which resets the output arena (outputs live until the next call), runs the Swift code, and turns any thrown
/// error into a status plus ``lastError``. Nothing Swift unwinds into C.
final class InstanceBox {
    let record: ExportRecord
    let context: PluginContext
    /// A `PluginStorage<P>` for the record's plugin type.
    let storage: AnyObject
    private var lastErrorText: ns_str = ns_str()

    init(record: ExportRecord, context: PluginContext, storage: AnyObject) {
        self.record = record
        self.context = context
        self.storage = storage
    }

    deinit {
        lastErrorText.ptr?.deallocate()
    }

    var outputs: Arena { context.link.outputs }

    /// The last error as the host reads it; valid until it is replaced.
    var lastError: ns_str { lastErrorText }

    /// Runs `body` against the instance at `inst`, mapping errors to a status.
    static func call(_ inst: UnsafeMutableRawPointer?, _ body: (InstanceBox) throws -> Void) -> ns_status {
        guard let inst else { return ABI.fatal }
        let box = Unmanaged<InstanceBox>.fromOpaque(inst).takeUnretainedValue()
        box.outputs.reset()
        do {
            try body(box)
            return ABI.ok
        } catch {
            let (status, message) = BoundaryFailure.classify(error, creating: false)
            box.setLastError(message)
            return status
        }
    }

    /// The box at `inst`, for calls that cannot fail.
    static func unretained(_ inst: UnsafeMutableRawPointer?) -> InstanceBox? {
        inst.map { Unmanaged<InstanceBox>.fromOpaque($0).takeUnretainedValue() }
    }

    private func setLastError(_ message: String) {
        lastErrorText.ptr?.deallocate()
        lastErrorText = permanentString(message)
    }
}

/// Holds a plugin value so capability adapters can mutate it in place.
final class PluginStorage<P: Plugin> {
    var plugin: P

    init(_ plugin: P) {
        self.plugin = plugin
    }
}

/// How errors become statuses at the boundary.
enum BoundaryFailure {
    /// The status and last-error text for `error`.
    ///
    /// A ``PluginError`` maps by code; a `DecodingError` escaping `create` is a configuration error; anything else
    /// is fatal with the error's description.
    static func classify(_ error: any Error, creating: Bool) -> (ns_status, String) {
        switch error {
        case let error as PluginError:
            let status: ns_status =
                switch error.code {
                case .retry: ABI.retry
                case .invalidConfig: ABI.invalidConfig
                default: ABI.fatal
                }
            return (status, error.message)
        case let error as DecodingError where creating:
            return (ABI.invalidConfig, error.configMessage)
        default:
            return (ABI.fatal, String(describing: error))
        }
    }
}
