internal import NightshiftABI

/// One instance's connection to the host's service table (`ns_host`), with the memory the calls need.
///
/// Services past the host's declared `size` are absent (an older host); calling one throws a fatal
/// ``PluginError`` naming it rather than reading past the table.
final class HostLink {
    let host: UnsafePointer<ns_host>
    /// Outputs returned to the host; reset on entry to each call into the instance.
    let outputs = Arena()
    /// Temporaries for one service call; reset after it.
    let scratch = Arena()
    /// Reused contiguous event memory for ``emit(_:)``.
    private var events = UnsafeMutableBufferPointer<ns_event>(start: nil, count: 0)

    init(host: UnsafePointer<ns_host>) {
        self.host = host
    }

    deinit {
        events.deallocate()
    }

    var ctx: UnsafeMutableRawPointer? { host.pointee.ctx }

    /// The service at `keyPath`, if the host's table is long enough to hold it and the entry is set.
    func service<T>(_ keyPath: KeyPath<ns_host, T?>, _ name: String) throws -> T {
        guard let offset = MemoryLayout<ns_host>.offset(of: keyPath),
            offset + MemoryLayout<T?>.size <= Int(host.pointee.size),
            let function = host.pointee[keyPath: keyPath]
        else {
            throw PluginError(code: .fatal, message: "the host does not provide \(name)", context: name)
        }
        return function
    }

    /// The host's reason for its last non-OK status, or `fallback`.
    func lastError(or fallback: String) -> String {
        guard let function = try? service(\.last_error, "last_error") else { return fallback }
        return function(ctx).nonEmptyString ?? fallback
    }

    /// Throws a ``PluginError`` carrying the host's reason when `status` is not OK.
    func check(_ status: ns_status, _ name: String) throws {
        guard status != ABI.ok else { return }
        let code: PluginError.Code =
            switch status {
            case ABI.retry: .retry
            case ABI.invalidConfig: .invalidConfig
            default: .fatal
            }
        throw PluginError(code: code, message: lastError(or: "\(name) failed with status \(status)"), context: name)
    }

    /// Contiguous event memory for at least `count` events, reused across calls.
    func eventBuffer(count: Int) -> UnsafeMutableBufferPointer<ns_event> {
        if events.count < count {
            events.deallocate()
            events = .allocate(capacity: max(count, events.count * 2, 64))
        }
        return events
    }
}
