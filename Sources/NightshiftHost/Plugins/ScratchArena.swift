import NightshiftABI

/// Memory the host hands to a plugin for the duration of one call (responses, strings), freed at the next call.
///
/// The header promises that host outputs stay valid until the plugin returns from the current call; keeping them one
/// call longer is harmless and makes the rule easy to keep. Used only by the thread currently calling the instance.
final class ScratchArena: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// A copy of `text` as an `ns_str`, valid until `reset()`.
    func str(_ text: String) -> ns_str {
        var text = text
        return text.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    /// A copy of `source` as an `ns_str`, valid until `reset()`.
    func bytes(_ source: UnsafeRawBufferPointer) -> ns_str {
        guard source.count > 0, let base = source.baseAddress else { return ns_str(ptr: nil, len: 0) }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: source.count + 1, alignment: 1)
        memory.copyMemory(from: base, byteCount: source.count)
        memory.storeBytes(of: 0, toByteOffset: source.count, as: UInt8.self)
        blocks.append(memory)
        return ns_str(ptr: memory.assumingMemoryBound(to: CChar.self), len: source.count)
    }

    /// An array of `count` values of `T`, valid until `reset()`.
    func array<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let memory = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        memory.initialize(from: values, count: values.count)
        blocks.append(UnsafeMutableRawPointer(memory))
        return UnsafePointer(memory)
    }

    /// Frees everything handed out so far.
    func reset() {
        for block in blocks { block.deallocate() }
        blocks.removeAll(keepingCapacity: true)
    }

    deinit { reset() }
}
