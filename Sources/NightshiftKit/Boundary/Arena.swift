import Foundation
internal import NightshiftABI

/// A bump allocator for memory handed to the host: outputs that must outlive the call that produced them.
///
/// The header's rule is that a plugin's outputs stay valid until its next call on the same instance. The boundary
/// resets the instance's output arena on entry to each call, so memory is reused rather than freed and re-allocated,
/// and its size settles at the largest call's high-water mark.
final class Arena {
    private var chunks: [(base: UnsafeMutableRawPointer, capacity: Int)] = []
    private var chunkIndex = 0
    private var offset = 0

    deinit {
        for chunk in chunks { chunk.base.deallocate() }
    }

    /// Makes every allocation reusable; pointers handed out before become invalid.
    func reset() {
        chunkIndex = 0
        offset = 0
    }

    /// Allocates uninitialized memory valid until the next ``reset()``.
    func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        while chunkIndex < chunks.count {
            let chunk = chunks[chunkIndex]
            let start = (offset + alignment - 1) & ~(alignment - 1)
            if start + byteCount <= chunk.capacity {
                offset = start + byteCount
                return chunk.base + start
            }
            chunkIndex += 1
            offset = 0
        }
        let capacity = max(4096, byteCount + alignment)
        chunks.append((UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16), capacity))
        chunkIndex = chunks.count - 1
        offset = byteCount
        return chunks[chunkIndex].base
    }

    /// Copies `values` into arena memory.
    func copy<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let raw = allocate(byteCount: MemoryLayout<T>.stride * values.count, alignment: MemoryLayout<T>.alignment)
        let typed = raw.bindMemory(to: T.self, capacity: values.count)
        typed.initialize(from: values, count: values.count)
        return UnsafePointer(typed)
    }

    /// Copies a string's UTF-8 (NUL-terminated, for C readers that expect it).
    func str(_ text: String) -> ns_str {
        var text = text
        return text.withUTF8 { str(UnsafeRawBufferPointer($0)) }
    }

    /// Copies bytes (NUL-terminated).
    func str(_ bytes: UnsafeRawBufferPointer) -> ns_str {
        let raw = allocate(byteCount: bytes.count + 1, alignment: 1)
        if let base = bytes.baseAddress { raw.copyMemory(from: base, byteCount: bytes.count) }
        raw.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return ns_str(ptr: UnsafePointer(raw.assumingMemoryBound(to: CChar.self)), len: bytes.count)
    }

    /// Copies an optional string; `nil` becomes the empty string.
    func str(_ text: String?) -> ns_str {
        text.map { str($0) } ?? ns_str()
    }

    /// Copies a header list.
    func headers(_ headers: [HTTPHeader]) -> (UnsafePointer<ns_http_header>?, Int) {
        (copy(headers.map { ns_http_header(name: str($0.name), value: str($0.value)) }), headers.count)
    }
}

/// A NUL-terminated UTF-8 string allocated once and never freed: the plugin's static strings.
func permanentString(_ text: String) -> ns_str {
    let bytes = Array(text.utf8)
    let raw = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
    for (index, byte) in bytes.enumerated() { raw[index] = CChar(bitPattern: byte) }
    raw[bytes.count] = 0
    return ns_str(ptr: UnsafePointer(raw), len: bytes.count)
}
