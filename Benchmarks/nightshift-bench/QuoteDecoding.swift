import Foundation

/// P6: decode throughput of Alpaca quote arrays (`[{"T":"q","S":"AAPL",...}, ...]`, one WebSocket frame each).
///
/// The figure is the alpaca-stream plugin's byte scanner, timed through the built `.so`'s `on_frame` (see
/// ``StreamPluginDriver``): each frame is scanned and its quotes emitted as `ns_event`s. The baseline is Foundation's
/// `JSONDecoder` into a `Decodable` struct on the same frames; `JSONSerialization` into dictionaries is in the note.
struct QuoteDecoding {
    let settings: BenchSettings

    /// One quote as Alpaca sends it.
    struct Quote: Decodable {
        var type: String
        var symbol: String
        var bidExchange: String
        var bidPrice: Double
        var bidSize: Int
        var askExchange: String
        var askPrice: Double
        var askSize: Int
        var conditions: [String]
        var tape: String
        var timestamp: String

        enum CodingKeys: String, CodingKey {
            case type = "T", symbol = "S", bidExchange = "bx", bidPrice = "bp", bidSize = "bs", askExchange = "ax"
            case askPrice = "ap", askSize = "as", conditions = "c", tape = "z", timestamp = "t"
        }
    }

    /// How many times faster than `JSONDecoder` the scanner is to be.
    static let target = 5.0

    func measure() throws -> [Figure] {
        let frames = Self.frames(count: 64, quotesPerFrame: settings.quotesPerFrame)
        let bytesPerFrame = Double(frames.reduce(0) { $0 + $1.count }) / Double(frames.count)
        let decoder = JSONDecoder()
        let codable = try rate(frames) { frame in
            let quotes = try decoder.decode([Quote].self, from: frame)
            return quotes.reduce(0) { $0 + $1.bidPrice + $1.askPrice }
        }
        let serialization = try rate(frames) { frame in
            guard let quotes = try JSONSerialization.jsonObject(with: frame) as? [[String: Any]] else {
                throw BenchError("a frame did not decode to an array of objects")
            }
            return quotes.reduce(0) { $0 + (($1["bp"] as? Double) ?? 0) + (($1["ap"] as? Double) ?? 0) }
        }
        let driver = try StreamPluginDriver()
        let scanner = try rate(frames) { frame in
            let before = driver.totals.events
            try frame.withUnsafeBytes { try driver.frame($0) }
            guard driver.totals.events - before == settings.quotesPerFrame else {
                throw BenchError("the plugin emitted \(driver.totals.events - before) of \(settings.quotesPerFrame) quotes")
            }
            return Double(driver.totals.bidSum) / 1e8
        }
        let megabytes = scanner * bytesPerFrame / Double(settings.quotesPerFrame) / 1e6
        return [Figure(
            id: "P6", label: "quote decode, alpaca-stream on_frame (scanner)", value: scanner,
            unit: .perSecond("quotes"), baselineLabel: "Foundation JSONDecoder", baseline: codable,
            targets: [.init(bound: .ratioAtLeast(Self.target))],
            note: "\(settings.quotesPerFrame) quotes per frame, \(FigureUnit.plain(megabytes)) MB/s; "
                + "JSONSerialization \(FigureUnit.plain(serialization / 1e3)) k quotes/s; every quote emitted")]
    }

    /// Quotes per second decoding `frames` round-robin, until `decodeFrames` or the time bound.
    private func rate(_ frames: [Data], _ decode: (Data) throws -> Double) throws -> Double {
        var checksum = 0.0
        for frame in frames.prefix(4) { checksum += try decode(frame) }
        let deadline = monotonicNanoseconds() + settings.decodeBound.nanoseconds
        let start = monotonicNanoseconds()
        var decoded = 0
        while decoded < settings.decodeFrames {
            if decoded % 16 == 0, monotonicNanoseconds() > deadline { break }
            checksum += try decode(frames[decoded % frames.count])
            decoded += 1
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        guard checksum > 0, seconds > 0 else { throw BenchError("decoding produced no prices") }
        return Double(decoded * settings.quotesPerFrame) / seconds
    }

    /// `count` distinct frames of quotes in Alpaca's wire format.
    static func frames(count: Int, quotesPerFrame: Int) -> [Data] {
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "SPY"]
        return (0..<count).map { frame in
            let quotes = (0..<quotesPerFrame).map { index -> String in
                let n = frame * quotesPerFrame + index
                let bid = 187.5 + Double(n % 97) * 0.01
                let nanos = String(format: "%09d", (123_456_789 + n * 1_000) % 1_000_000_000)
                return #"{"T":"q","S":"\#(symbols[n % symbols.count])","bx":"V","bp":\#(bid),"bs":\#(1 + n % 9),"#
                    + #""ax":"Q","ap":\#(bid + 0.02),"as":\#(1 + n % 7),"c":["R"],"z":"C","#
                    + #""t":"2024-01-02T15:04:05.\#(nanos)Z"}"#
            }
            return Data(("[" + quotes.joined(separator: ",") + "]").utf8)
        }
    }
}
