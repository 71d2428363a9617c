import Glibc
import NightshiftABI
import Synchronization

/// The process-wide table of interned symbols shared by every plugin instance.
///
/// Ids are stable for the life of the process and never 0. Names are copied once into memory that is never freed,
/// so the `ns_str` handed to plugins stays valid forever, as the header promises.
public final class SymbolTable: Sendable {
    private struct State {
        var ids: [String: UInt32] = [:]
        var names: [ns_str] = [ns_str(ptr: nil, len: 0)]  // id 0 is "unknown"
    }

    private let state = Mutex(State())

    public init() {}

    /// The id for `name`, interning it on first use.
    public func intern(_ name: String) -> UInt32 {
        state.withLock { state in
            if let id = state.ids[name] { return id }
            let id = UInt32(state.names.count)
            var copy = name
            let bytes = copy.withUTF8 { utf8 -> ns_str in
                let memory = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
                utf8.withMemoryRebound(to: CChar.self) { memory.initialize(from: $0.baseAddress!, count: utf8.count) }
                memory[utf8.count] = 0
                return ns_str(ptr: UnsafePointer(memory), len: utf8.count)
            }
            state.names.append(bytes)
            state.ids[name] = id
            return id
        }
    }

    /// The interned text for `id` as a C string pair; empty when unknown.
    func cName(_ id: UInt32) -> ns_str {
        state.withLock { state in Int(id) < state.names.count ? state.names[Int(id)] : ns_str(ptr: nil, len: 0) }
    }

    /// The interned text for `id`, or nil.
    public func name(_ id: UInt32) -> String? {
        let value = cName(id)
        guard let pointer = value.ptr, value.len > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: value.len), as: UTF8.self)
    }
}

extension ns_str {
    /// Decodes the borrowed bytes (replacing invalid UTF-8), or "" when empty.
    var string: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }

    /// The borrowed bytes as a buffer (empty when absent).
    var bytes: UnsafeRawBufferPointer {
        guard let ptr, len > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: ptr, count: len)
    }
}
