import NightshiftKit

/// One symbol's quote generator: the mid moves by a uniform relative step, the spread stays fixed.
struct RandomWalk {
    private var mid: Double
    private let halfSpread: Double
    private let step: Double
    private var generator: SplitMix64

    init(mid: Fixed, spread: Fixed, step: Double, seed: UInt64) {
        self.mid = mid.doubleValue
        halfSpread = spread.doubleValue / 2
        self.step = step
        generator = SplitMix64(seed: seed)
    }

    /// The next quote.
    mutating func next() -> (bid: Fixed, ask: Fixed, bidSize: Fixed, askSize: Fixed) {
        let move = Double.random(in: -step...step, using: &generator)
        // Never let the bid reach zero: a walk that drifts down stops one spread above it.
        mid = max(mid * (1 + move), halfSpread * 2 + 0.0001)
        let bidSize = Fixed(Int(generator.next() % 100) + 1)
        let askSize = Fixed(Int(generator.next() % 100) + 1)
        return (Fixed(mid - halfSpread), Fixed(mid + halfSpread), bidSize, askSize)
    }
}

/// SplitMix64: a tiny, fast, seedable generator (the same seed always gives the same sequence).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
