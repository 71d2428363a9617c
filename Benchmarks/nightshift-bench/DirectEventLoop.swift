import Foundation
import NightshiftABI

/// P1's baseline: the strategy plugin's `on_events` called from a plain loop, no host in between.
///
/// The strategy library is opened with `dlopen` and given a minimal `ns_host` of our own; the batch is built by the
/// source library's own `bench_fill_events`, so both sides see the same events.
final class DirectEventLoop {
    private typealias Fill = @convention(c) (UnsafeMutablePointer<ns_event>?, Int, UInt32) -> Void
    private typealias Entry = @convention(c) () -> UnsafePointer<ns_plugin_v1>?

    private let plugin: ns_plugin_v1
    private let fill: Fill
    private let handles: [UnsafeMutableRawPointer]

    init(strategyPath: String, sourcePath: String) throws {
        guard let strategy = dlopen(strategyPath, RTLD_NOW | RTLD_LOCAL) else { throw Self.dlerror("dlopen strategy") }
        guard let source = dlopen(sourcePath, RTLD_NOW | RTLD_LOCAL) else { throw Self.dlerror("dlopen source") }
        handles = [strategy, source]
        guard let entrySymbol = dlsym(strategy, NS_ENTRY_SYMBOL_V1),
            let info = unsafeBitCast(entrySymbol, to: Entry.self)()
        else { throw Self.dlerror("nightshift_plugin_v1") }
        guard let fillSymbol = dlsym(source, "bench_fill_events") else { throw Self.dlerror("bench_fill_events") }
        plugin = info.pointee
        fill = unsafeBitCast(fillSymbol, to: Fill.self)
    }

    deinit { for handle in handles { dlclose(handle) } }

    /// The sum of the prices in one batch of `batchSize` events, as `bench_fill_events` writes them.
    static func priceSum(batchSize: Int) -> Int64 {
        (0..<batchSize).reduce(Int64(0)) { $0 + 187 * 100_000_000 + Int64($1 % 1000) * 10_000 }
    }

    /// Calls `on_events` with `batches` batches of `batchSize` events, stopping early after `bound`.
    func run(batchSize: Int, batches: Int, bound: Duration) throws -> EventRunResult {
        let events = UnsafeMutablePointer<ns_event>.allocate(capacity: batchSize)
        defer { events.deallocate() }
        fill(events, batchSize, 1)
        let totals = TotalsBox()
        // The plugin keeps the host table for the instance's life, so it lives on the heap until after destroy.
        let host = UnsafeMutablePointer<ns_host>.allocate(capacity: 1)
        host.initialize(to: Self.host(totals))
        defer { host.deallocate() }
        guard let create = plugin.create, let destroy = plugin.destroy, let onEvents = plugin.strategy?.pointee.on_events
        else { throw BenchError("the strategy plugin lacks create, destroy or on_events") }
        var instance: UnsafeMutableRawPointer?
        var error = ns_str(ptr: nil, len: 0)
        let status = "direct".withCString {
            create(host, ns_str(ptr: $0, len: 6), ns_str(ptr: nil, len: 0), &instance, &error)
        }
        guard status == 0, let instance else { throw BenchError("the strategy's create failed (status \(status))") }
        let limit = bound.nanoseconds
        let start = monotonicNanoseconds()
        var sent = 0
        for batch in 0..<batches {
            if batch & 63 == 0, monotonicNanoseconds() - start > limit { break }
            _ = onEvents(instance, events, batchSize)
            sent += batchSize
        }
        // The end marker, as the source sends it: the strategy notes the time, as it does in a host run.
        var marker = ns_event()
        marker.kind = UInt32(NS_EVENT_CUSTOM)
        _ = onEvents(instance, &marker, 1)
        withExtendedLifetime(totals) { destroy(instance) }
        guard totals.values["events"] == Int64(sent), let sum = totals.values["price_sum"],
            let end = totals.values["last_ns"]
        else {
            throw BenchError("the strategy counted \(totals.values["events"] ?? -1) events of \(sent) sent directly")
        }
        return EventRunResult(emitted: sent, delivered: sent, priceSum: sum, seconds: Double(end - start) / 1e9)
    }

    // MARK: - A minimal host

    /// Where the strategy's `bench_strategy_totals` row lands.
    private final class TotalsBox {
        var values: [String: Int64] = [:]
    }

    /// A host table whose only working service is `log` (into `totals`); config lookups find nothing.
    private static func host(_ totals: TotalsBox) -> ns_host {
        var host = ns_host()
        host.size = UInt32(MemoryLayout<ns_host>.size)
        host.abi_major = UInt16(NS_ABI_MAJOR)
        host.abi_minor = UInt16(NS_ABI_MINOR)
        host.ctx = Unmanaged.passUnretained(totals).toOpaque()
        host.log = { context, _, _, _, fields, count in
            guard let context, let fields else { return }
            let box = Unmanaged<TotalsBox>.fromOpaque(context).takeUnretainedValue()
            for field in UnsafeBufferPointer(start: fields, count: count) {
                let key = String(decoding: UnsafeRawBufferPointer(start: field.key.ptr, count: field.key.len), as: UTF8.self)
                box.values[key] = field.i
            }
        }
        host.now_ns = { _ in 0 }
        host.intern = { _, _ in 1 }
        host.config_get = { _, _, _ in 1 }
        return host
    }

    private static func dlerror(_ step: String) -> BenchError {
        BenchError("\(step): \(Glibc.dlerror().map { String(cString: $0) } ?? "unknown dlerror")")
    }
}
