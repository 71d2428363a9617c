/// Reads a fuzz input as a few choice bytes followed by a payload.
///
/// Targets that need to choose something (an HTTP status, which call to make) take those choices from the front so
/// that libFuzzer can mutate them like any other byte; an empty input reads as zeros.
struct FuzzInput {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next byte, or 0 past the end.
    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// One of `choices`, picked by the next byte.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }

    /// Everything not yet read.
    var rest: [UInt8] {
        index < bytes.count ? Array(bytes[index...]) : []
    }

    /// The rest cut at every `separator` byte (a byte that never occurs in valid UTF-8 text, e.g. 0xFF).
    func parts(separatedBy separator: UInt8) -> [[UInt8]] {
        rest.split(separator: separator, omittingEmptySubsequences: false).map(Array.init)
    }
}
