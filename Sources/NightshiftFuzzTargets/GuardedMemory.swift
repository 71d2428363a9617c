#if canImport(Glibc)
import Glibc
#endif

/// Bytes placed flush against an inaccessible page, so reading even one byte past them faults.
///
/// A reader that trusts a size it should not (a table's declared size, a string's length) crashes on the guard page
/// in any build, with or without AddressSanitizer. The memory is unmapped by `release()`.
struct GuardedMemory {
    /// The first of the copied bytes.
    let start: UnsafeRawPointer
    /// How many bytes were copied.
    let count: Int
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int

    /// Maps enough pages for `bytes` plus one guard page and copies `bytes` to end exactly at the guard.
    init(_ bytes: [UInt8]) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let dataPages = max(1, (bytes.count + page - 1) / page)
        mappedBytes = (dataPages + 1) * page
        guard let mapped = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            mapped != MAP_FAILED
        else { fatalError("cannot map guarded memory") }
        mapping = mapped
        let guardPage = mapped + dataPages * page
        precondition(mprotect(guardPage, page, PROT_NONE) == 0, "cannot protect the guard page")
        let first = guardPage - bytes.count
        if !bytes.isEmpty { bytes.withUnsafeBytes { first.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) } }
        start = UnsafeRawPointer(first)
        count = bytes.count
    }

    /// Unmaps the memory; `start` is invalid afterwards.
    func release() {
        munmap(mapping, mappedBytes)
    }
}
