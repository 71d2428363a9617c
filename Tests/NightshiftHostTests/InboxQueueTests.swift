import Foundation
import NightshiftIO
import Testing
@testable import NightshiftHost

/// The stream driver's inbox queue and the monotonic sleeps behind the host's timers.
@Suite struct InboxQueueTests {
    @Test func keepsFIFOOrderAcrossCompaction() {
        var queue = InboxQueue()
        var expected: [Int] = []
        var popped: [Int] = []
        for round in 0..<5 {
            for index in 0..<1500 {
                let id = round * 1500 + index
                queue.append(.link(id, .opened))
                expected.append(id)
            }
            for _ in 0..<1200 {
                if case .link(let id, _)? = queue.popFirst() { popped.append(id) }
            }
        }
        while case .link(let id, _)? = queue.popFirst() { popped.append(id) }
        #expect(popped == expected)
        #expect(queue.isEmpty)
    }

    @Test func aBacklogPastTheBoundReplacesTheLinkAndDropsItsFrames() {
        let inbox = StreamDriver.Inbox(maxBacklogBytes: 100)
        inbox.push(.link(1, .opened))
        for _ in 0..<3 { inbox.push(.link(1, .text(String(repeating: "a", count: 30)))) }
        // The fourth frame would make 120 bytes: the link overflows and its queue is dropped.
        inbox.push(.link(1, .text(String(repeating: "b", count: 30))))
        inbox.push(.link(1, .text("late")))
        inbox.push(.link(1, .closed(code: 1006, reason: "")))
        #expect(inbox.next(timeout: .zero) == .overflowed(1))
        #expect(inbox.next(timeout: .zero) == .link(1, .closed(code: 1006, reason: "")))
        #expect(inbox.next(timeout: .zero) == nil)
        // The next link starts with the whole bound again, and frames drained free their bytes.
        inbox.discardEvents()
        for round in 0..<10 {
            inbox.push(.link(2, .text(String(repeating: "c", count: 60))))
            #expect(inbox.next(timeout: .zero) == .link(2, .text(String(repeating: "c", count: 60))), "round \(round)")
        }
        inbox.push(.stop)
        #expect(inbox.next(timeout: .zero) == .stop)
    }

    @Test func aSleepEndsByItselfOrAtShutdown() {
        let signal = ShutdownSignal()
        #expect(signal.sleep(for: .milliseconds(20)))
        let sleeper = Thread { _ = signal.sleep(for: .seconds(600)) }
        sleeper.start()
        signal.trigger()
        #expect(!signal.sleep(for: .seconds(600)), "a triggered signal wakes at once")
    }
}
