import Foundation
import Testing
@testable import NightshiftEvents

@Suite struct EventSpoolTests {
    @Test func appendedEventsReadBackInOrder() throws {
        let directory = try TemporaryDirectory()
        let spool = try EventSpool(path: directory.file("spool"))
        let events = EventFactory().sequence(30)
        try spool.append(Array(events[0..<10]), sync: true)
        try spool.append(Array(events[10...]), sync: false)
        try spool.syncIfDirty()
        let first = spool.readPending(maxEvents: 25)
        #expect(first.events == Array(events[0..<25]))
        try spool.markDelivered(through: first.end)
        #expect(spool.hasPending)
        let rest = spool.readPending(maxEvents: 25)
        #expect(rest.events == Array(events[25...]))
        try spool.markDelivered(through: rest.end)
        #expect(!spool.hasPending)
        #expect(try FileManager.default.attributesOfItem(atPath: spool.path)[.size] as? Int == 0)
    }

    /// Byte tails a crash can leave behind: part of a header, part of a payload, a stale or zeroed header.
    static let tornTails: [[UInt8]] = [
        [0x2A, 0x00, 0x00],
        SpoolFrame.encode(Array(#"{"id":"partial"}"#.utf8)).dropLast(3),
        [0x05, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF] + Array("abcde".utf8),
        [UInt8](repeating: 0, count: 64),
        [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0],
    ]

    @Test(arguments: tornTails)
    func aTornTailIsCutOffAtOpen(tail: [UInt8]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("spool")
        let events = EventFactory().sequence(5)
        do {
            let spool = try EventSpool(path: path)
            try spool.append(events, sync: true)
            spool.close()
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(tail))
        handle.closeFile()

        let reopened = try EventSpool(path: path)
        #expect(reopened.recoveredTornBytes == Int64(tail.count))
        let chunk = reopened.readPending(maxEvents: 100)
        #expect(chunk.events == events)
        #expect(chunk.damagedAt == nil)
        // New records go after the valid prefix, not after the garbage.
        let more = EventFactory().sequence(2)
        try reopened.append(more, sync: true)
        #expect(reopened.readPending(maxEvents: 100).events == events + more)
    }

    @Test func compactionDropsTheReplayedPrefixOnly() throws {
        let directory = try TemporaryDirectory()
        let spool = try EventSpool(path: directory.file("spool"))
        let events = EventFactory().sequence(20)
        try spool.append(events, sync: true)
        let chunk = spool.readPending(maxEvents: 12)
        try spool.markDelivered(through: chunk.end)
        try spool.compact()
        #expect(spool.readPending(maxEvents: 100).events == Array(events[12...]))
        try spool.append(EventFactory().sequence(1), sync: true)
        spool.close()
        let reopened = try EventSpool(path: directory.file("spool"))
        #expect(reopened.recoveredTornBytes == 0)
        #expect(reopened.readPending(maxEvents: 100).events.count == 9)
    }

    @Test func aSpoolHasOneWriterAtATime() throws {
        let directory = try TemporaryDirectory()
        let first = try EventSpool(path: directory.file("spool"))
        #expect(throws: EventStoreError.self) { try EventSpool(path: directory.file("spool")) }
        first.close()
        _ = try EventSpool(path: directory.file("spool"))
    }

    @Test func anUnwritableLocationFailsLoudly() {
        let error = #expect(throws: EventStoreError.self) { try EventSpool(path: "/nonexistent-dir/spool") }
        #expect(error?.code == .spoolFailed)
    }

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
