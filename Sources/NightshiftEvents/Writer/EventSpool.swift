#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The local, fsync'd, append-only file that holds events while the store is away.
///
/// Records are appended (see `SpoolFrame`) and replayed from the front; a replayed prefix is dropped by truncating the
/// file when everything is delivered, or by rewriting the rest when only part is. The replay position lives in memory:
/// after a crash the next run replays from the start, and the store's idempotent insert discards what had already
/// arrived. At open, a torn tail (the partial record a crash leaves behind) is detected, reported and cut off.
/// An exclusive `flock` keeps two writers from sharing one spool.
final class EventSpool: Sendable {
    /// Records read for replay, and where the next read starts.
    struct Chunk {
        var events: [EventRecord]
        /// The offset just past the last record read.
        var end: Int64
        /// Records with a valid checksum whose payload does not decode as an event.
        var undecodable: Int
        /// The offset of a damaged record that ended the read, if one did.
        var damagedAt: Int64?
    }

    private struct State {
        var fd: Int32
        var size: Int64
        var replayOffset: Int64 = 0
        var dirty = false
    }

    /// The spool file's path.
    let path: String
    /// Bytes of torn or damaged tail cut off when the spool was opened.
    let recoveredTornBytes: Int64
    private let state: Mutex<State>

    /// Opens (creating if needed) the spool at `path`, validating it and cutting off a torn tail.
    ///
    /// - Throws: `EventStoreError` with code `spoolFailed` when it cannot be opened, locked or repaired.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot open", errno, path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Self.failure(code == EWOULDBLOCK ? "in use by another event writer" : "cannot lock", code, path)
        }
        let fileSize = Int64(lseek(fd, 0, SEEK_END))
        let validSize = Self.validPrefix(fd: fd, size: fileSize)
        if validSize < fileSize {
            guard ftruncate(fd, off_t(validSize)) == 0, fsync(fd) == 0 else {
                let code = errno
                Glibc.close(fd)
                throw Self.failure("cannot cut off a torn tail", code, path)
            }
        }
        Self.syncDirectory(of: path)
        recoveredTornBytes = fileSize - validSize
        state = Mutex(State(fd: fd, size: validSize))
    }

    /// Bytes waiting for replay.
    var pendingBytes: Int64 { state.withLock { $0.size - $0.replayOffset } }

    /// Whether anything waits for replay.
    var hasPending: Bool { pendingBytes > 0 }

    // MARK: - Writing

    /// Appends `events`; with `sync`, returns only once they are on disk.
    ///
    /// A failed write is undone (the file is cut back), so the spool never holds half a record it wrote itself.
    func append(_ events: [EventRecord], sync: Bool) throws {
        var bytes = [UInt8]()
        var line: [UInt8] = []
        for event in events {
            line.removeAll(keepingCapacity: true)
            event.appendJSONLine(to: &line)
            bytes += SpoolFrame.encode(line)
        }
        try state.withLock { state in
            guard state.fd >= 0 else { throw Self.failure("is closed", EBADF, path) }
            if let code = FileDescriptorWriter.writeAll(state.fd, bytes) {
                _ = ftruncate(state.fd, off_t(state.size))
                throw Self.failure("cannot append", code, path)
            }
            state.size += Int64(bytes.count)
            state.dirty = true
            if sync { try Self.sync(&state, path) }
        }
    }

    /// Forces appended records to disk if any were written without `sync`.
    func syncIfDirty() throws {
        try state.withLock { state in
            if state.dirty, state.fd >= 0 { try Self.sync(&state, path) }
        }
    }

    // MARK: - Replay

    /// Reads up to `maxEvents` records from the replay position.
    func readPending(maxEvents: Int) -> Chunk {
        state.withLock { state in
            var chunk = Chunk(events: [], end: state.replayOffset, undecodable: 0, damagedAt: nil)
            while chunk.events.count < maxEvents, chunk.end < state.size {
                guard let (payload, next) = Self.readRecord(fd: state.fd, at: chunk.end, size: state.size) else {
                    chunk.damagedAt = chunk.end
                    break
                }
                if let event = EventRecord(jsonLine: String(decoding: payload, as: UTF8.self)) {
                    chunk.events.append(event)
                } else {
                    chunk.undecodable += 1
                }
                chunk.end = next
            }
            return chunk
        }
    }

    /// Records that everything before `offset` reached the store; when that is all of it, empties the file.
    func markDelivered(through offset: Int64) throws {
        try state.withLock { state in
            state.replayOffset = max(state.replayOffset, min(offset, state.size))
            if state.replayOffset == state.size { try Self.truncate(&state, to: 0, path) }
        }
    }

    /// Cuts the file at `offset`, dropping a damaged record and whatever follows it.
    func discard(from offset: Int64) throws {
        try state.withLock { state in
            try Self.truncate(&state, to: min(offset, state.size), path)
            state.replayOffset = min(state.replayOffset, state.size)
        }
    }

    /// Rewrites the file without its replayed prefix, so a long outage with partial replays does not grow it forever.
    func compact() throws {
        try state.withLock { state in
            guard state.replayOffset > 0, state.fd >= 0 else { return }
            let temporary = path + ".compact"
            // The new file is locked before it takes the spool's name, so no other writer can slip in between.
            let out = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
            guard out >= 0 else { throw Self.failure("cannot compact", errno, path) }
            guard flock(out, LOCK_EX | LOCK_NB) == 0 else {
                Glibc.close(out)
                throw Self.failure("cannot compact", errno, path)
            }
            var offset = state.replayOffset
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while offset < state.size {
                let count = buffer.withUnsafeMutableBytes { pread(state.fd, $0.baseAddress, $0.count, off_t(offset)) }
                guard count > 0, FileDescriptorWriter.writeAll(out, Array(buffer[0..<count])) == nil else {
                    Glibc.close(out)
                    unlink(temporary)
                    throw Self.failure("cannot compact", errno, path)
                }
                offset += Int64(count)
            }
            guard fsync(out) == 0, rename(temporary, path) == 0 else {
                Glibc.close(out)
                unlink(temporary)
                throw Self.failure("cannot compact", errno, path)
            }
            Self.syncDirectory(of: path)
            Glibc.close(state.fd)
            state.fd = out
            state.size -= state.replayOffset
            state.replayOffset = 0
            state.dirty = false
        }
    }

    /// Syncs and closes the file, releasing the lock; later appends fail.
    func close() {
        state.withLock { state in
            guard state.fd >= 0 else { return }
            if state.dirty { _ = fsync(state.fd) }
            Glibc.close(state.fd)
            state.fd = -1
        }
    }

    // MARK: - File helpers

    private static func validPrefix(fd: Int32, size: Int64) -> Int64 {
        var offset: Int64 = 0
        while offset < size, let (_, next) = readRecord(fd: fd, at: offset, size: size) { offset = next }
        return offset
    }

    /// The payload of the intact record at `offset` and the offset after it; `nil` for a torn or damaged record.
    private static func readRecord(fd: Int32, at offset: Int64, size: Int64) -> ([UInt8], Int64)? {
        guard size - offset >= Int64(SpoolFrame.headerSize),
              let header = readBytes(fd: fd, at: offset, count: SpoolFrame.headerSize),
              let length = SpoolFrame.payloadLength(header: header),
              size - offset - Int64(SpoolFrame.headerSize) >= Int64(length),
              let payload = readBytes(fd: fd, at: offset + Int64(SpoolFrame.headerSize), count: length),
              SpoolFrame.isIntact(header: header, payload: payload)
        else { return nil }
        return (payload, offset + Int64(SpoolFrame.headerSize + length))
    }

    private static func readBytes(fd: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + Int64(done)))
            }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { return nil }
            done += read
        }
        return bytes
    }

    private static func sync(_ state: inout State, _ path: String) throws {
        guard fsync(state.fd) == 0 else { throw failure("cannot fsync", errno, path) }
        state.dirty = false
    }

    private static func truncate(_ state: inout State, to size: Int64, _ path: String) throws {
        guard ftruncate(state.fd, off_t(size)) == 0, fsync(state.fd) == 0 else {
            throw failure("cannot truncate", errno, path)
        }
        state.size = size
        state.dirty = false
        if state.replayOffset > size || size == 0 { state.replayOffset = 0 }
    }

    /// Makes a created or renamed file's directory entry durable.
    private static func syncDirectory(of path: String) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(directory.isEmpty ? (path.hasPrefix("/") ? "/" : ".") : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            Glibc.close(fd)
        }
    }

    private static func failure(_ what: String, _ code: Int32, _ path: String) -> EventStoreError {
        EventStoreError(.spoolFailed, "spool \(what): \(FileDescriptorWriter.describe(errno: code))", context: path)
    }
}
