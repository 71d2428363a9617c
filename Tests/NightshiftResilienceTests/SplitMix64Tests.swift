import Testing
@testable import NightshiftResilience

@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceSequence() {
        // Vigna's reference splitmix64.c, seeded with 1234567.
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test func sameSeedSameSequenceDifferentSeedDifferentSequence() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var other = SplitMix64(seed: 43)
        let a = (0..<16).map { _ in first.next() }
        let b = (0..<16).map { _ in second.next() }
        let c = (0..<16).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func systemJitterProducesVaryingValues() {
        var jitter = SystemJitter()
        let values = Set((0..<8).map { _ in jitter.next() })
        #expect(values.count > 1)
    }
}
