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
        reserve(atMicros: micros).text
    }

    /// An id's bits, drawn when its event is created; the text can be made later, on another thread, and is the same.
    struct Reservation: Sendable {
        let millis: UInt64
        let counter: UInt16
        let random: UInt64

        /// The id as text.
        var text: String { EventID.format(millis: millis, counter: counter, random: random) }
    }

    /// Draws the next id's bits for an event created at `micros`: the ordering step of `generate`, without the text.
    static func reserve(atMicros micros: Int64) -> Reservation {
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
        return Reservation(millis: millis, counter: counter, random: mix(stream))
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
            hexPairs.withUnsafeBufferPointer { pairs in
                let base = UnsafeMutableRawPointer(text.baseAddress!)
                @inline(__always) func digits(_ word: UInt64, _ shift: UInt64, at offset: Int) {
                    let pair = pairs[Int(truncatingIfNeeded: word >> shift) & 0xFF]
                    base.storeBytes(of: pair.littleEndian, toByteOffset: offset, as: UInt16.self)
                }
                @inline(__always) func dash(at offset: Int) {
                    base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: offset, as: UInt8.self)
                }
                // 8-4-4-4-12 hex digits: 16 bytes, two digits each, dashes at 8, 13, 18 and 23.
                digits(high, 56, at: 0)
                digits(high, 48, at: 2)
                digits(high, 40, at: 4)
                digits(high, 32, at: 6)
                dash(at: 8)
                digits(high, 24, at: 9)
                digits(high, 16, at: 11)
                dash(at: 13)
                digits(high, 8, at: 14)
                digits(high, 0, at: 16)
                dash(at: 18)
                digits(low, 56, at: 19)
                digits(low, 48, at: 21)
                dash(at: 23)
                digits(low, 40, at: 24)
                digits(low, 32, at: 26)
                digits(low, 24, at: 28)
                digits(low, 16, at: 30)
                digits(low, 8, at: 32)
                digits(low, 0, at: 34)
                return 36
            }
        }
    }

    /// Each byte's two lowercase hex digits, as they lie in memory (first digit at the lower address).
    private static let hexPairs: [UInt16] = (0..<256).map { byte in
        let digits = Array("0123456789abcdef".utf8)
        return UInt16(digits[byte >> 4]) | UInt16(digits[byte & 0x0F]) << 8
    }
}
