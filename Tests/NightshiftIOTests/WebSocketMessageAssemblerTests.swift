import Testing

@testable import NightshiftIO

/// Reassembly and the size cap, fed chunk by chunk as libwebsockets would.
struct WebSocketMessageAssemblerTests {
    private typealias Chunk = (bytes: [UInt8], isFinal: Bool, isBinary: Bool)

    /// Feeds the chunks in order and returns each outcome.
    private func feed(_ chunks: [Chunk], maximumBytes: Int = 100) -> [WebSocketMessageAssembler.Outcome] {
        var assembler = WebSocketMessageAssembler(maximumBytes: maximumBytes)
        return chunks.map { assembler.append($0.bytes, isFinal: $0.isFinal, isBinary: $0.isBinary) }
    }

    private func text(_ value: String, final: Bool = true) -> Chunk {
        (Array(value.utf8), final, false)
    }

    @Test func joinsChunksUntilTheFinalOne() {
        let outcomes = feed([text("frag", final: false), text("ment", final: false), text("ed ✓"), text("next")])
        #expect(outcomes == [.incomplete, .incomplete, .text("fragmented ✓"), .text("next")])
    }

    @Test func keepsAMultiByteCharacterSplitAcrossChunks() {
        let bytes = Array("é".utf8)
        let outcomes = feed([([bytes[0]], false, false), ([bytes[1]], true, false)])
        #expect(outcomes == [.incomplete, .text("é")])
    }

    @Test func takesTheKindFromTheFirstChunk() {
        let outcomes = feed([([0xFF], false, true), ([0x00], true, false)])
        #expect(outcomes == [.incomplete, .binary([0xFF, 0x00])])
    }

    @Test func deliversAnEmptyMessage() {
        #expect(feed([text("")]) == [.text("")])
    }

    @Test func refusesAMessageOverTheCapAndStartsAfresh() {
        let chunks = [text("12345", final: false), text("6789", final: false), text("12345678")]
        let outcomes = feed(chunks, maximumBytes: 8)
        #expect(outcomes == [.incomplete, .tooLarge, .text("12345678")])
    }

    @Test func refusesTextThatIsNotUTF8() {
        let outcomes = feed([([0xFF, 0xFE], true, false), ([0xFF, 0xFE], true, true)])
        #expect(outcomes == [.invalidText, .binary([0xFF, 0xFE])])
    }
}
