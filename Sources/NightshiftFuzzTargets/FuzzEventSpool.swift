#if DEBUG
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import NightshiftEvents

/// Where spool files go: tmpfs when there is one, so `fsync` costs nothing.
private let spoolDirectory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
private let spoolCalls = Atomic<Int>(0)

/// A spool path of this call's own: the test suite runs targets from several threads of one process at once.
private func freshSpoolPath() -> String {
    let call = spoolCalls.wrappingAdd(1, ordering: .relaxed).oldValue
    return "\(spoolDirectory)/nightshift-fuzz-spool-\(getpid())-\(call)"
}

/// The event spool read back (`EventSpool` open, torn-tail repair, `readPending`) from a file made of the input.
///
/// The first byte picks the shape: even, the rest is the file as is (headers, lengths and checksums all fuzzed);
/// odd, the rest is cut at newlines and each line framed as an intact record, so the payload decoder
/// (`EventRecord(jsonLine:)`) sees mutated events past the checksum. Invariants: intact records are all read
/// (decoded or counted undecodable, never a damaged tail); the repaired file opens again with nothing to cut; a
/// decoded event's JSON line decodes to the same event.
func fuzzEventSpool(_ data: UnsafeRawBufferPointer) {
    var input = FuzzInput(data)
    let framed = input.byte() & 1 == 1
    let lines = framed ? input.parts(separatedBy: UInt8(ascii: "\n")).filter { !$0.isEmpty } : []
    let file = framed ? lines.flatMap(SpoolFrame.encode) : input.rest
    let spoolPath = freshSpoolPath()
    guard write(file, to: spoolPath) else { return }
    defer { unlink(spoolPath) }

    guard let first = try? EventSpool(path: spoolPath) else { preconditionFailure("the spool does not open") }
    let cut = first.recoveredTornBytes
    first.close()
    precondition(cut >= 0 && cut <= Int64(file.count), "cut \(cut) of \(file.count) bytes")
    precondition(!framed || cut == 0, "intact records were cut as a torn tail")
    guard let spool = try? EventSpool(path: spoolPath) else { preconditionFailure("the spool does not reopen") }
    precondition(spool.recoveredTornBytes == 0, "a repaired spool needed repair again")
    defer { spool.close() }
    var read = 0
    while spool.hasPending {
        let chunk = spool.readPending(maxEvents: 64)
        precondition(chunk.damagedAt == nil, "a repaired spool still has a damaged record")
        for event in chunk.events {
            precondition(EventRecord(jsonLine: event.jsonLine) == event, "an event's JSON line reads back differently")
        }
        read += chunk.events.count + chunk.undecodable
        guard (try? spool.markDelivered(through: chunk.end)) != nil else { preconditionFailure("markDelivered failed") }
    }
    precondition(!framed || read == lines.count, "\(lines.count) intact records, \(read) read")
}

/// Writes `bytes` as the whole spool file; `false` if the file cannot be written (not a finding).
private func write(_ bytes: [UInt8], to spoolPath: String) -> Bool {
    let fd = open(spoolPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return FileDescriptorWriter.writeAll(fd, bytes) == nil
}
#else
/// Reached through `@testable import`, which only debug builds allow; a release build compiles an empty body.
func fuzzEventSpool(_ data: UnsafeRawBufferPointer) {}
#endif
