import Testing
@testable import NightshiftEvents

@Suite struct EventIDTests {
    @Test func idsAreUniqueAndSortInGenerationOrder() {
        let ids = (0..<20_000).map { _ in EventID.generate() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.sorted() == ids)
    }

    @Test func idsStayOrderedWhenTheClockStepsBack() {
        let later = EventID.generate(atMicros: EventFactory.origin + 10_000_000_000)
        let earlier = EventID.generate(atMicros: EventFactory.origin)
        #expect(earlier > later)
    }

    @Test func anIdCarriesItsMillisecondAndIsAVersion7UUID() {
        let micros: Int64 = 4_102_444_800_123_456 // 2100-01-01, later than any id made before
        let id = EventID.generate(atMicros: micros)
        #expect(id.count == 36)
        #expect(Array(id)[14] == "7")
        #expect("89ab".contains(Array(id)[19]))
        #expect(EventID.millis(of: id) == micros / 1_000)
    }

    @Test func formatLaysOutTimestampCounterAndRandomBits() {
        let text = EventID.format(millis: 0x0190_F5E4_A1B2, counter: 0x0ABC, random: 0xFFFF_FFFF_FFFF_FFFF)
        #expect(text == "0190f5e4-a1b2-7abc-bfff-ffffffffffff")
    }

    @Test func textThatIsNotAVersion7UUIDHasNoTimestamp() {
        #expect(EventID.millis(of: "not-an-id") == nil)
        #expect(EventID.millis(of: "0190f5e4-a1b2-4abc-bfff-ffffffffffff") == nil)
    }
}
