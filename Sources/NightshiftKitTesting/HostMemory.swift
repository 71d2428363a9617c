internal import NightshiftABI

/// Memory the fake host hands to a plugin, freed in bulk when its lifetime ends.
///
/// The header gives host memory three lifetimes — the current call (HTTP responses), the instance (config values)
/// and the process (symbol names) — and the fake host keeps one pool per lifetime so a plugin that holds a pointer
/// too long reads freed memory under a sanitizer, as it would against the real host.
final class HostMemory {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        release()
    }

    /// Frees everything handed out so far.
    func release() {
        for allocation in allocations { allocation.deallocate() }
        allocations.removeAll(keepingCapacity: true)
    }

    /// Copies `text` (NUL-terminated).
    func str(_ text: String) -> ns_str {
        bytes(Array(text.utf8))
    }

    /// Copies bytes (NUL-terminated).
    func bytes(_ bytes: [UInt8]) -> ns_str {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
        raw.copyMemory(from: bytes, byteCount: bytes.count)
        raw.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        allocations.append(raw)
        return ns_str(ptr: UnsafePointer(raw.assumingMemoryBound(to: CChar.self)), len: bytes.count)
    }

    /// Copies an array of values.
    func copy<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let typed = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        typed.initialize(from: values, count: values.count)
        allocations.append(UnsafeMutableRawPointer(typed))
        return UnsafePointer(typed)
    }
}

extension ns_str {
    /// Copies the borrowed bytes into a string.
    var string: String {
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: len), as: UTF8.self)
    }

    /// The bytes as a string, or `nil` when empty.
    var nonEmptyString: String? { len == 0 ? nil : string }

    /// Copies the borrowed bytes.
    var bytes: [UInt8] {
        guard let ptr, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: ptr, count: len))
    }
}
