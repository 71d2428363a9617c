import Synchronization

/// Unique, time-ordered event ids: UUIDv7 in lowercase hex text.
///
/// The first 48 bits are the Unix time in milliseconds, the next 12 a counter within that millisecond, the rest random
/// (RFC 9562, method 1). Fixed-width lowercase hex sorts as text in the same order as the bits, so `ORDER BY id`
/// is time order in every store. Within one process ids are strictly increasing even when the wall clock steps back:
/// the generator never goes below the last millisecond it used, and borrows the next millisecond when a counter fills.
public enum EventID {
    private struct State {
        var lastMillis: UInt64 = 0
        var counter: UInt16 = 0
    }

    private static let state = Mutex(State())

    /// A new id for an event created at `micros` (microseconds since the epoch).
    public static func generate(atMicros micros: Int64 = EventTime.nowMicros()) -> String {
        let wanted = UInt64(max(0, micros / 1_000))
        let (millis, counter) = state.withLock { state -> (UInt64, UInt16) in
            if wanted > state.lastMillis {
                state.lastMillis = wanted
                state.counter = 0
            } else if state.counter < 0xFFF {
                state.counter += 1
            } else {
                state.lastMillis += 1
                state.counter = 0
            }
            return (state.lastMillis, state.counter)
        }
        return format(millis: millis, counter: counter, random: UInt64.random(in: .min ... .max))
    }

    /// The millisecond timestamp an id carries, or `nil` when the text is not a UUIDv7.
    public static func millis(of id: String) -> Int64? {
        let hex = id.utf8.filter { $0 != UInt8(ascii: "-") }
        guard hex.count == 32, id.utf8.count == 36, hex[12] == UInt8(ascii: "7") else { return nil }
        return Int64(String(decoding: hex[0..<12], as: UTF8.self), radix: 16)
    }

    static func format(millis: UInt64, counter: UInt16, random: UInt64) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8 & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: random >> 56 & 0x3F)
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * (15 - index))) }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
