import Foundation
import NightshiftABI

/// The built alpaca-stream plugin (`libalpaca-stream.so` beside the benchmark) opened with `dlopen` and driven
/// through its C table with a minimal host of our own: P6's subject, with no runtime in between.
///
/// `emit` only counts the events and adds up their bid prices, so the time of `on_frame` is the plugin's: the frame
/// handed over, scanned, its quotes turned into `ns_event`s and emitted as one batch.
final class StreamPluginDriver {
    private typealias Entry = @convention(c) () -> UnsafePointer<ns_plugin_v1>?

    /// What `emit` saw.
    final class Totals {
        var events = 0
        var bidSum: Int64 = 0
    }

    /// The path of the stream plugin built beside the running benchmark.
    static var libraryPath: String {
        StartupFootprint.productsDirectory.appendingPathComponent("libalpaca-stream.so").path
    }

    let totals = Totals()
    private let library: UnsafeMutableRawPointer
    private let host: UnsafeMutablePointer<ns_host>
    private let instance: UnsafeMutableRawPointer
    private let onFrame: @convention(c) (UnsafeMutableRawPointer?, ns_str) -> ns_status
    private let destroy: @convention(c) (UnsafeMutableRawPointer?) -> Void

    init(path: String = StreamPluginDriver.libraryPath) throws {
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw BenchError("dlopen \(path): \(Glibc.dlerror().map { String(cString: $0) } ?? "unknown")")
        }
        self.library = library
        guard let symbol = dlsym(library, NS_ENTRY_SYMBOL_V1), let info = unsafeBitCast(symbol, to: Entry.self)(),
            let create = info.pointee.create, let destroy = info.pointee.destroy,
            let onFrame = info.pointee.stream_source?.pointee.on_frame
        else { throw BenchError("\(path) is not a stream source plugin") }
        self.onFrame = onFrame
        self.destroy = destroy
        let host = UnsafeMutablePointer<ns_host>.allocate(capacity: 1)
        host.initialize(to: Self.host(totals))
        self.host = host
        let config = #"{"feed":"iex","base_url":"ws://127.0.0.1:9/v2","key_id":"bench","secret":"bench","#
            + #""trades":[],"quotes":["AAPL"],"bars":[],"updated_bars":[],"daily_bars":[]}"#
        var created: UnsafeMutableRawPointer?
        var error = ns_str(ptr: nil, len: 0)
        let status = config.withCString { json in
            "p6".withCString { name in
                create(host, ns_str(ptr: name, len: 2), ns_str(ptr: json, len: strlen(json)), &created, &error)
            }
        }
        guard status == 0, let created else {
            let reason = error.ptr.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: error.len), as: UTF8.self)
            }
            throw BenchError("alpaca-stream create failed (status \(status)): \(reason ?? "")")
        }
        instance = created
    }

    deinit {
        destroy(instance)
        host.deallocate()
        dlclose(library)
    }

    /// Hands one frame to the plugin's `on_frame`; throws unless it returned `NS_OK`.
    func frame(_ bytes: UnsafeRawBufferPointer) throws {
        let status = onFrame(
            instance, ns_str(ptr: bytes.baseAddress?.assumingMemoryBound(to: CChar.self), len: bytes.count))
        guard status == 0 else { throw BenchError("alpaca-stream on_frame returned \(status)") }
    }

    /// A host table with `emit` into `totals`; logging, sending and config lookups do nothing.
    private static func host(_ totals: Totals) -> ns_host {
        var host = ns_host()
        host.size = UInt32(MemoryLayout<ns_host>.size)
        host.abi_major = UInt16(NS_ABI_MAJOR)
        host.abi_minor = UInt16(NS_ABI_MINOR)
        host.ctx = Unmanaged.passUnretained(totals).toOpaque()
        host.log = { _, _, _, _, _, _ in }
        host.now_ns = { _ in 0 }
        host.intern = { _, _ in 1 }
        host.config_get = { _, _, _ in 1 }
        host.stream_send = { _, _ in 0 }
        host.emit = { context, events, count in
            guard let context, let events else { return 0 }
            let totals = Unmanaged<Totals>.fromOpaque(context).takeUnretainedValue()
            for event in UnsafeBufferPointer(start: events, count: count) { totals.bidSum &+= event.bid }
            totals.events += count
            return 0
        }
        return host
    }
}
