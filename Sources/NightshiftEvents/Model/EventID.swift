import Synchronization

/// Unique, time-ordered event ids: UUIDv7 in lowercase hex text.
///
/// The first 48 bits are the Unix time in milliseconds, the next 12 a counter within that millisecond, the rest random
/// (RFC 9562, method 1). Fixed-width lowercase hex sorts as text in the same order as the bits, so `ORDER BY id`
/// is time order in every store. Within one process ids are strictly increasing even when the wall clock steps back:
/// the generator never goes below the last millisecond it used, and borrows the next millisecond when a counter fills.
///
/// The random bits come from a stream seeded once per process from the system's generator (SplitMix64 over a
/// counter), not from a system call per id: millisecond and counter already make ids unique within the process, and
/// the per-process seed keeps two processes' ids apart as well as fresh random bits would.
public enum EventID {
    private struct State {
        var lastMillis: UInt64 = 0
        var counter: UInt16 = 0
        /// The random stream's position, advanced by the golden-ratio increment at every id.
        var stream: UInt64
    }

    private static let state = Mutex(State(stream: UInt64.random(in: .min ... .max)))

    /// A new id for an event created at `micros` (microseconds since the epoch).
    public static func generate(atMicros micros: Int64 = EventTime.nowMicros()) -> String {
        let wanted = UInt64(max(0, micros / 1_000))
        let (millis, counter, stream) = state.withLock { state -> (UInt64, UInt16, UInt64) in
            if wanted > state.lastMillis {
                state.lastMillis = wanted
                state.counter = 0
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                state.lastMillis += 1
                state.counter = 0
            }
            state.stream &+= 0x9E37_79B9_7F4A_7C15
            return (state.lastMillis, state.counter, state.stream)
        }
        return format(millis: millis, counter: counter, random: mix(stream))
    }

    /// The millisecond timestamp an id carries, or `nil` when the text is not a UUIDv7.
    public static func millis(of id: String) -> Int64? {
        let hex = id.utf8.filter { $0 != UInt8(ascii: "-") }
        guard hex.count == 32, id.utf8.count == 36, hex[12] == UInt8(ascii: "7") else { return nil }
        return Int64(String(decoding: hex[0..<12], as: UTF8.self), radix: 16)
    }

    /// SplitMix64's output function: a bijection that spreads consecutive stream positions over all 64 bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var bits = value
        bits = (bits ^ (bits >> 30)) &* 0xBF58_476D_1CE4_E5B9
        bits = (bits ^ (bits >> 27)) &* 0x94D0_49BB_1331_11EB
        return bits ^ (bits >> 31)
    }

    static func format(millis: UInt64, counter: UInt16, random: UInt64) -> String {
        let high = millis << 16 | 0x7000 | UInt64(counter & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | random & 0x3FFF_FFFF_FFFF_FFFF
        return String(unsafeUninitializedCapacity: 36) { text in
            var out = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F
                    text[out] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                    out += 1
                }
            }
            func dash() {
                text[out] = UInt8(ascii: "-")
                out += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put(high >> 16, nibbles: 4)
            dash()
            put(high, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low, nibbles: 12)
            return out
        }
    }
}
