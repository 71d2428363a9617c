import NightshiftKit

/// Reads the messages of one stream frame — a JSON array of objects — one at a time, straight off the UTF-8 bytes.
///
/// Only the keys the protocol documents are looked at; every other value is skipped structurally. A frame that stops
/// being JSON ends the iteration and sets ``isMalformed``; the messages read before that point stand. Non-object
/// elements are skipped and counted in ``skippedElements``. A lone object (not in an array) is read as a one-message
/// frame.
///
/// ```swift
/// var scanner = FrameScanner(bytes)
/// while let message = scanner.next() { … }
/// if scanner.isMalformed { … }
/// ```
struct FrameScanner {
    private var cursor: JSONCursor
    private var state = State.start
    /// Whether the frame broke JSON's grammar (or the protocol's shape) before its end.
    private(set) var isMalformed = false
    /// Array elements that were not objects.
    private(set) var skippedElements = 0

    private enum State {
        case start, inArray, single, done
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor = JSONCursor(bytes)
    }

    /// The bytes the scanner reads, for decoding a message's string ranges.
    var bytes: UnsafeBufferPointer<UInt8> { cursor.bytes }

    /// The next message, or `nil` at the end of the frame or at the first defect.
    mutating func next() -> ScannedMessage? {
        while true {
            switch state {
            case .done:
                return nil
            case .start:
                switch cursor.peek() {
                case UInt8(ascii: "["):
                    _ = cursor.consume(UInt8(ascii: "["))
                    if cursor.consume(UInt8(ascii: "]")) { return finish() }
                    state = .inArray
                case UInt8(ascii: "{"):
                    state = .single
                default:
                    return fail()
                }
            case .single:
                guard let message = readMessage() else { return fail() }
                state = .done
                if !cursor.isAtEnd, cursor.peek() != nil { isMalformed = true }
                return message
            case .inArray:
                let element: ScannedMessage?
                if cursor.peek() == UInt8(ascii: "{") {
                    guard let message = readMessage() else { return fail() }
                    element = message
                } else {
                    guard cursor.skipValue() != nil else { return fail() }
                    skippedElements += 1
                    element = nil
                }
                if cursor.consume(UInt8(ascii: "]")) {
                    state = .done
                    if cursor.peek() != nil { isMalformed = true }
                } else if !cursor.consume(UInt8(ascii: ",")) {
                    state = .done
                    isMalformed = true
                }
                if let element { return element }
            }
        }
    }

    private mutating func fail() -> ScannedMessage? {
        isMalformed = true
        state = .done
        return nil
    }

    private mutating func finish() -> ScannedMessage? {
        state = .done
        if cursor.peek() != nil { isMalformed = true }
        return nil
    }

    // MARK: - One message

    /// Reads one object, picking out the known keys; `nil` when the object is not well-formed JSON.
    private mutating func readMessage() -> ScannedMessage? {
        guard cursor.consume(UInt8(ascii: "{")) else { return nil }
        var message = ScannedMessage()
        if cursor.consume(UInt8(ascii: "}")) { return message }
        repeat {
            guard let key = cursor.readString(), cursor.consume(UInt8(ascii: ":")) else { return nil }
            guard readValue(forKey: key.range, into: &message) else { return nil }
        } while cursor.consume(UInt8(ascii: ","))
        return cursor.consume(UInt8(ascii: "}")) ? message : nil
    }

    /// Reads the value of `key` into `message` when the key is known, else skips it.
    ///
    /// Keys are told apart by length and bytes, without building strings: this runs for every field of every tick.
    private mutating func readValue(forKey key: Range<Int>, into message: inout ScannedMessage) -> Bool {
        guard !key.isEmpty else { return cursor.skipValue() != nil }
        let bytes = cursor.bytes
        let first = bytes[key.lowerBound]
        switch key.count {
        case 1:
            switch first {
            case UInt8(ascii: "T"): return readKind(into: &message)
            case UInt8(ascii: "S"): return readSymbol(into: &message)
            case UInt8(ascii: "t"): return readTime(into: &message)
            case UInt8(ascii: "p"): return readFixed(&message.price)
            case UInt8(ascii: "s"): return readFixed(&message.size)
            case UInt8(ascii: "o"): return readFixed(&message.open)
            case UInt8(ascii: "h"): return readFixed(&message.high)
            case UInt8(ascii: "l"): return readFixed(&message.low)
            // "c" is a bar's close, but a trade's or quote's condition array: only a number is a close.
            case UInt8(ascii: "c"): return readFixed(&message.close)
            case UInt8(ascii: "v"): return readFixed(&message.volume)
            default: return cursor.skipValue() != nil
            }
        case 2:
            switch (first, bytes[key.lowerBound + 1]) {
            case (UInt8(ascii: "b"), UInt8(ascii: "p")): return readFixed(&message.bidPrice)
            case (UInt8(ascii: "a"), UInt8(ascii: "p")): return readFixed(&message.askPrice)
            case (UInt8(ascii: "b"), UInt8(ascii: "s")): return readFixed(&message.bidSize)
            case (UInt8(ascii: "a"), UInt8(ascii: "s")): return readFixed(&message.askSize)
            default: return cursor.skipValue() != nil
            }
        case 3 where cursor.equals(key, "msg"):
            guard cursor.peek() == UInt8(ascii: "\"") else { return cursor.skipValue() != nil }
            guard let text = cursor.readString() else { return false }
            message.text = text
            return true
        case 4 where cursor.equals(key, "code"):
            switch readNumber() {
            case .number(let range): message.code = DecimalText.integer(bytes, range)
            case .skipped: break
            case .invalid: return false
            }
            return true
        case 4 where cursor.equals(key, "bars"):
            return skipRecording(&message.barsList)
        case 6 where cursor.equals(key, "trades"):
            return skipRecording(&message.tradesList)
        case 6 where cursor.equals(key, "quotes"):
            return skipRecording(&message.quotesList)
        default:
            return cursor.skipValue() != nil
        }
    }

    /// Skips a value, keeping its byte range for later decoding.
    private mutating func skipRecording(_ field: inout Range<Int>?) -> Bool {
        guard let range = cursor.skipValue() else { return false }
        field = range
        return true
    }

    private mutating func readKind(into message: inout ScannedMessage) -> Bool {
        guard cursor.peek() == UInt8(ascii: "\"") else { return cursor.skipValue() != nil }
        guard let (range, _) = cursor.readString() else { return false }
        message.kind = Self.kind(cursor, range)
        return true
    }

    private mutating func readSymbol(into message: inout ScannedMessage) -> Bool {
        guard cursor.peek() == UInt8(ascii: "\"") else { return cursor.skipValue() != nil }
        guard let (range, escaped) = cursor.readString() else { return false }
        let bytes = cursor.bytes
        let plausible = !escaped && (1...32).contains(range.count)
            && range.allSatisfy { bytes[$0] > 0x20 && bytes[$0] < 0x7F }
        message.symbol = plausible ? range : nil
        return true
    }

    private mutating func readTime(into message: inout ScannedMessage) -> Bool {
        guard cursor.peek() == UInt8(ascii: "\"") else { return cursor.skipValue() != nil }
        guard let (range, escaped) = cursor.readString() else { return false }
        message.time = escaped ? nil : RFC3339.nanoseconds(cursor.bytes, range)
        return true
    }

    /// Reads a number into `field`; a value of another type is skipped and leaves `field` empty.
    private mutating func readFixed(_ field: inout Fixed?) -> Bool {
        switch readNumber() {
        case .number(let range): field = DecimalText.fixed(cursor.bytes, range)
        case .skipped: break
        case .invalid: return false
        }
        return true
    }

    /// What ``readNumber()`` found.
    private enum NumberRead {
        case number(Range<Int>)
        /// A well-formed value of another type, skipped.
        case skipped
        /// Not JSON.
        case invalid
    }

    /// Reads a number, or skips a value of another type.
    private mutating func readNumber() -> NumberRead {
        guard let next = cursor.peek() else { return .invalid }
        switch next {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return cursor.readNumber().map { .number($0) } ?? .invalid
        default:
            return cursor.skipValue() == nil ? .invalid : .skipped
        }
    }

    private static func kind(_ cursor: JSONCursor, _ range: Range<Int>) -> ScannedMessage.Kind {
        if range.count == 1 {
            switch cursor.bytes[range.lowerBound] {
            case UInt8(ascii: "t"): return .trade
            case UInt8(ascii: "q"): return .quote
            case UInt8(ascii: "b"): return .bar
            case UInt8(ascii: "u"): return .updatedBar
            case UInt8(ascii: "d"): return .dailyBar
            default: return .other
            }
        }
        if cursor.equals(range, "success") { return .success }
        if cursor.equals(range, "subscription") { return .subscription }
        if cursor.equals(range, "error") { return .error }
        return .other
    }
}
