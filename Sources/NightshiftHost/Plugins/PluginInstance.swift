import Dispatch
import NightshiftABI
import Synchronization

/// One configured instance of a plugin: its host-services table, its plugin handle and its serial queue.
///
/// Every call into the plugin goes through `call(_:)` on the instance's own serial queue, so the plugin is called from
/// one thread at a time, as the ABI promises. The `ns_host` table lives as long as the instance; its `ctx` points back
/// at this object.
public final class PluginInstance: @unchecked Sendable {
    public let name: String
    public let plugin: LoadedPlugin
    /// The index stamped into `ns_event.source` for events this instance emits.
    public let index: UInt32
    let queue: DispatchQueue
    let scratch = ScratchArena()
    /// Scalars of the validated config by dotted path, for `config_get`; copied once, valid for the instance's life.
    let configScalars: [String: ns_str]
    private(set) var handle: UnsafeMutableRawPointer?
    private var hostTable: UnsafeMutablePointer<ns_host>
    private var lastHostError: ns_str = ns_str(ptr: nil, len: 0)
    private let errorArena = ScratchArena()
    weak var host: (any InstanceHost)?

    init(name: String, plugin: LoadedPlugin, index: UInt32, configScalars: [String: String], host: any InstanceHost) {
        self.name = name
        self.plugin = plugin
        self.index = index
        self.host = host
        queue = DispatchQueue(label: "nightshift.instance.\(name)")
        let permanent = ScratchArena()
        self.configScalars = configScalars.mapValues { permanent.str($0) }
        permanentArena = permanent
        hostTable = .allocate(capacity: 1)
        hostTable.initialize(to: HostTable.make(context: nil))
        hostTable.pointee.ctx = Unmanaged.passUnretained(self).toOpaque()
    }

    private let permanentArena: ScratchArena

    deinit { hostTable.deallocate() }

    // MARK: - Calling the plugin

    /// Set when a call failed and a restart is pending: deliveries skip the instance until the restart clears it, so one
    /// fault is one failure, not one per queued batch.
    let awaitingRestart = Atomic<Bool>(false)

    /// When the call now running on the instance's queue began (ns, monotonic), or 0 when idle: read by the stall monitor.
    let callStartedAt = Atomic<Int64>(0)

    /// When the instance last emitted events (ns, monotonic), or 0 if it never has: read for the metrics' event age.
    let lastEmittedAt = Atomic<Int64>(0)

    /// Runs `body` on the instance's queue and waits for it; host outputs from the previous call are freed first.
    func call<T>(_ body: () -> T) -> T {
        queue.sync { onQueue(body) }
    }

    /// Runs `body` as one call into the plugin; the caller is already on the instance's queue.
    func onQueue<T>(_ body: () -> T) -> T {
        scratch.reset()
        return timed(body)
    }

    /// Runs plugin code with the stall clock running.
    func timed<T>(_ body: () -> T) -> T {
        callStartedAt.store(Int64(DispatchTime.now().uptimeNanoseconds), ordering: .relaxed)
        defer { callStartedAt.store(0, ordering: .relaxed) }
        return body()
    }

    /// Runs host I/O done on the plugin's behalf inside a call (HTTP with its retries and backoff sleeps): the stall
    /// clock measures plugin code only, so a long, policy-driven retry is never mistaken for a stalled plugin.
    func untimed<T>(_ body: () -> T) -> T {
        let started = callStartedAt.exchange(0, ordering: .relaxed)
        defer { if started != 0 { callStartedAt.store(Int64(DispatchTime.now().uptimeNanoseconds), ordering: .relaxed) } }
        return body()
    }

    /// The plugin's reason for its last non-OK status (call on the instance's queue).
    func pluginLastError() -> String {
        guard let handle, let lastError = plugin.table.last_error else { return "" }
        return lastError(handle).string
    }

    /// Creates the plugin's instance with its validated config.
    ///
    /// - Throws: `InstanceError` with the plugin's own message when `create` fails.
    func create(configJSON: String) throws(InstanceError) {
        let result = queue.sync { () -> Result<Void, InstanceError> in
            do throws(InstanceError) { try createOnQueue(configJSON: configJSON) } catch { return .failure(error) }
            return .success(())
        }
        try result.get()
    }

    /// `create` for a caller already on the instance's queue (a restart).
    func createOnQueue(configJSON: String) throws(InstanceError) {
        let status: ns_status
        var message = ""
        (status, message) = onQueue {
            var json = configJSON
            var created: UnsafeMutableRawPointer?
            var error = ns_str(ptr: nil, len: 0)
            let status = json.withUTF8 { utf8 in
                name.withCString { cName in
                    plugin.table.create(
                        hostTable, ns_str(ptr: cName, len: name.utf8.count),
                        ns_str(ptr: UnsafeRawPointer(utf8.baseAddress)?.assumingMemoryBound(to: CChar.self), len: utf8.count),
                        &created, &error)
                }
            }
            if status == Status.ok { handle = created }
            return (status, error.string)
        }
        guard status == Status.ok, handle != nil else {
            throw InstanceError(instance: name, status: status == Status.ok ? Status.fatal : status,
                                message: message.isEmpty ? "create failed without a reason" : message)
        }
    }

    /// Destroys the plugin's instance; no further calls are made on it until `create` runs again.
    func destroy() {
        queue.sync { destroyOnQueue() }
    }

    /// Destroys the instance unless its queue is still busy at `deadline` (a stalled call): then it is left alone.
    ///
    /// - Returns: true when destroyed in time.
    func destroy(until deadline: DispatchTime) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async {
            self.destroyOnQueue()
            done.signal()
        }
        return done.wait(timeout: deadline) == .success
    }

    /// `destroy` for a caller already on the instance's queue.
    func destroyOnQueue() {
        onQueue {
            if let handle { plugin.table.destroy(handle) }
            handle = nil
        }
    }

    // MARK: - Host-service errors

    /// Records why a host service returned non-OK, for `ns_host.last_error`.
    func setHostError(_ message: String) {
        errorArena.reset()
        lastHostError = errorArena.str(message)
    }

    var hostError: ns_str { lastHostError }
}

/// A plugin call that failed, with the plugin's own reason.
public struct InstanceError: Error, CustomStringConvertible, Sendable {
    public var instance: String
    public var status: ns_status
    public var message: String

    public var description: String {
        let kind = switch status {
        case Status.retry: "retryable failure"
        case Status.invalidConfig: "invalid configuration"
        default: "fatal failure"
        }
        return "instance \(instance): \(kind): \(message)"
    }
}
