/// Joins received fragments into complete messages and enforces the per-message size cap.
///
/// A pure state machine: the I/O shell feeds it each chunk libwebsockets hands over (a frame may arrive in several
/// chunks, a message in several frames) and acts on the outcome.
struct WebSocketMessageAssembler {
    /// What the chunk just appended completed.
    enum Outcome: Equatable {
        /// More chunks are needed.
        case incomplete
        /// A whole text message.
        case text(String)
        /// A whole binary message.
        case binary([UInt8])
        /// The message outgrew the cap; the link should close with 1009.
        case tooLarge
        /// A text message was not valid UTF-8; the link should close with 1007.
        case invalidText
    }

    /// The largest message accepted, in bytes.
    let maximumBytes: Int
    private var buffer: [UInt8] = []
    private var inMessage = false
    private var isBinary = false

    init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    /// Appends one chunk.
    ///
    /// - Parameters:
    ///   - chunk: the payload bytes of this chunk.
    ///   - isFinal: whether this chunk ends the message (last chunk of the final frame).
    ///   - isBinary: whether the message is binary; read on the first chunk of a message.
    mutating func append(_ chunk: UnsafeRawBufferPointer, isFinal: Bool, isBinary: Bool) -> Outcome {
        if !inMessage {
            inMessage = true
            self.isBinary = isBinary
        }
        guard buffer.count + chunk.count <= maximumBytes else {
            reset()
            return .tooLarge
        }
        buffer.append(contentsOf: chunk)
        guard isFinal else { return .incomplete }
        defer { reset() }
        if self.isBinary {
            return .binary(buffer)
        }
        guard let text = String(validating: buffer, as: UTF8.self) else {
            return .invalidText
        }
        return .text(text)
    }

    /// Convenience for callers holding an array.
    mutating func append(_ chunk: [UInt8], isFinal: Bool, isBinary: Bool) -> Outcome {
        chunk.withUnsafeBytes { append($0, isFinal: isFinal, isBinary: isBinary) }
    }

    private mutating func reset() {
        buffer = []
        inMessage = false
        isBinary = false
    }
}
