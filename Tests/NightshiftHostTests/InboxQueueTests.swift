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

    @Test func aSleepEndsByItselfOrAtShutdown() {
        let signal = ShutdownSignal()
        #expect(signal.sleep(for: .milliseconds(20)))
        let sleeper = Thread { _ = signal.sleep(for: .seconds(600)) }
        sleeper.start()
        signal.trigger()
        #expect(!signal.sleep(for: .seconds(600)), "a triggered signal wakes at once")
    }
}
