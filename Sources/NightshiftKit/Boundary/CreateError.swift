import Glibc
internal import NightshiftABI

/// Thread-local storage for `create`'s error message.
///
/// A failed `create` has no instance to keep its message in, and the header allows a "static or thread-local"
/// message; each thread keeps its latest one until its next failure (or until the thread exits).
enum CreateError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { free($0) }
        return key
    }()

    /// Stores `message` for the calling thread and returns a view of it.
    static func store(_ message: String) -> ns_str {
        free(pthread_getspecific(key))
        let bytes = Array(message.utf8)
        guard let memory = malloc(bytes.count + 1) else { return ns_str() }
        memory.copyMemory(from: bytes, byteCount: bytes.count)
        memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        pthread_setspecific(key, memory)
        return ns_str(ptr: UnsafePointer(memory.assumingMemoryBound(to: CChar.self)), len: bytes.count)
    }
}
