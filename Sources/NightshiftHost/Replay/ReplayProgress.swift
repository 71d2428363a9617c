import Foundation
import Glibc
import Synchronization

/// Shows how far a replay has got: a bar redrawn in place on a terminal, plain lines every 10 % otherwise.
public final class ReplayProgress: Sendable {
    /// How progress is drawn.
    public enum Style: Sendable {
        /// One line redrawn with a carriage return, for a terminal.
        case bar
        /// A line per 10 %, for logs and pipes.
        case lines
    }

    public let style: Style
    private let descriptor: Int32
    /// The last step drawn: per-mille for the bar, tens of percent for lines.
    private let lastStep = Mutex<Int>(-1)

    /// Progress on `descriptor`, a bar when it is a terminal.
    public init(fileDescriptor descriptor: Int32 = 1, style: Style? = nil) {
        self.descriptor = descriptor
        self.style = style ?? (isatty(descriptor) == 1 ? .bar : .lines)
    }

    /// Reports that `done` of `total` entries were fed and the simulated clock reads `time` (ns since the epoch).
    func update(done: Int, total: Int, time: Int64) {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let step = style == .bar ? Int(fraction * 1000) : Int(fraction * 10)
        let changed = lastStep.withLock { last in
            guard step != last else { return false }
            last = step
            return true
        }
        guard changed else { return }
        write(Self.render(style, done: done, total: total, time: time))
    }

    /// Ends the bar's line.
    func finish() {
        if style == .bar { write("\n") }
    }

    /// The text for one update.
    static func render(_ style: Style, done: Int, total: Int, time: Int64) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let percent = Int(fraction * 100)
        let clock = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(time) / 1e9))
        switch style {
        case .bar:
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            return "\r[\(bar)] \(String(percent).leftPadded(3))% \(done)/\(total) entries, at \(clock)"
        case .lines:
            return "replay: \(percent)% (\(done)/\(total) entries, at \(clock))\n"
        }
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
