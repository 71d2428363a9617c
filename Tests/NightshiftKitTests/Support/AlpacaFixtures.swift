import Foundation

/// Recorded Alpaca protocol messages under `Fixtures/alpaca/`, written in the documented shapes.
enum AlpacaFixtures {
    /// The fixtures folder, found from this file's location.
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fixtures/alpaca")

    /// The text of `Fixtures/alpaca/<path>`, without a trailing newline.
    static func text(_ path: String) throws -> String {
        let text = try String(contentsOf: directory.appending(path: path), encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// The bytes of `Fixtures/alpaca/<path>`.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try text(path).utf8)
    }

    /// The non-empty lines of a `.jsonl` fixture.
    static func lines(_ path: String) throws -> [String] {
        try text(path).split(separator: "\n").map(String.init)
    }

    /// Every stream fixture frame (each line of the `.jsonl` files counts as a frame).
    static func streamFrames() throws -> [String] {
        let names = [
            "connected.json", "authenticated.json", "subscription.json", "trades.json", "quotes.json", "bars.json",
            "mixed.json",
        ]
        return try names.map { try text("stream/\($0)") } + lines("stream/errors.jsonl")
    }

    /// A JSON object whose values are all strings, parsed from text, for comparing shapes regardless of key order.
    static func stringFields(_ text: String) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]
    }
}
