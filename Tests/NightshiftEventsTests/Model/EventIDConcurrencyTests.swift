import Dispatch
import Synchronization
import Testing
@testable import NightshiftEvents

/// Ids drawn from many threads at once stay unique and, per thread, in generation order.
@Suite struct EventIDConcurrencyTests {
    @Test func idsFromManyThreadsAreUniqueAndOrderedPerThread() {
        let threads = 8, perThread = 5_000
        let results = Mutex<[[String]]>(Array(repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let ids = (0..<perThread).map { _ in EventID.generate() }
            results.withLock { $0[thread] = ids }
        }
        let all = results.withLock { $0 }
        for ids in all { #expect(ids.sorted() == ids) }
        #expect(Set(all.joined()).count == threads * perThread)
    }

    @Test func aReservationsTextIsTheIdItStandsFor() {
        // Other tests push the generator to 2100; a reservation made now carries whatever millisecond it was given.
        let reserved = EventID.reserve(atMicros: EventTime.nowMicros())
        #expect(reserved.text == EventID.format(millis: reserved.millis, counter: reserved.counter, random: reserved.random))
        #expect(EventID.millis(of: reserved.text) == Int64(reserved.millis))
        #expect(EventID.generate() > reserved.text)
    }

    @Test func theRandomBitsDifferFromOneIdToTheNext() {
        let ids = (0..<1_000).map { _ in EventID.generate() }
        let tails = Set(ids.map { $0.suffix(12) })
        #expect(tails.count == ids.count)
    }
}
