import Synchronization
internal import NightshiftABI

/// Returns the static ABI table for a plugin type: what the plugin's `nightshift_plugin_v1` symbol returns.
///
/// The table (and every string in it) is built on the first call and kept for the life of the process. Write one
/// line per plugin library:
///
/// ```swift
/// @_cdecl("nightshift_plugin_v1") public func nightshiftPlugin() -> UnsafeRawPointer { export(MyPlugin.self) }
/// ```
///
/// - Returns: A pointer to a `const ns_plugin_v1`.
public func export<P: Plugin>(_ type: P.Type) -> UnsafeRawPointer {
    UnsafeRawPointer(ExportRegistry.record(for: type).table)
}

/// The exported plugin types of this image, indexed by their `create` trampoline.
///
/// A library normally exports one type; a test process may export several, so each type claims one of the
/// ``CreateSlots`` (`create` receives no context that could say which type to construct).
enum ExportRegistry {
    private static let records = Mutex<[ExportRecord]>([])

    static func record<P: Plugin>(for type: P.Type) -> ExportRecord {
        records.withLock { records in
            if let record = records.first(where: { $0.type == ObjectIdentifier(type) }) { return record }
            precondition(
                records.count < CreateSlots.count,
                "NightshiftKit exports at most \(CreateSlots.count) plugin types per process")
            let record = ExportRecord(type, slot: records.count)
            records.append(record)
            return record
        }
    }

    static func record(slot: Int) -> ExportRecord? {
        records.withLock { $0.indices.contains(slot) ? $0[slot] : nil }
    }
}
