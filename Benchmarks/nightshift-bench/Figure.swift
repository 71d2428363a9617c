import Foundation

/// One measured figure beside its same-run baseline, and the target it is held to.
///
/// The ratio is always `value / baseline`, so for rates above 1 means faster than the baseline and for times above 1
/// means slower.
struct Figure: Sendable {
    /// Which issue figure this is: `P1`, `P3`, ...
    var id: String
    /// What was measured, e.g. `host events/s (batch 1024)`.
    var label: String
    var value: Double
    var unit: FigureUnit
    /// What the baseline is, e.g. `direct on_events loop`.
    var baselineLabel: String
    var baseline: Double
    /// The targets this figure is held to; empty when the issue sets none for it.
    var targets: [Target] = []
    /// A short remark printed after the line.
    var note: String?

    var ratio: Double { baseline == 0 ? .nan : value / baseline }

    /// A bound on the value or on the ratio.
    struct Target: Sendable {
        enum Bound: Sendable {
            case valueAtLeast(Double), valueAtMost(Double), ratioAtLeast(Double)
        }

        var bound: Bound

        func isMet(by figure: Figure) -> Bool {
            switch bound {
            case .valueAtLeast(let limit): figure.value >= limit
            case .valueAtMost(let limit): figure.value <= limit
            case .ratioAtLeast(let limit): figure.ratio >= limit
            }
        }

        func describe(_ unit: FigureUnit) -> String {
            switch bound {
            case .valueAtLeast(let limit): ">= \(unit.format(limit))"
            case .valueAtMost(let limit): "<= \(unit.format(limit))"
            case .ratioAtLeast(let limit): "ratio >= \(FigureUnit.plain(limit))"
            }
        }
    }

    /// Whether every target is met (true when there are none).
    var metAll: Bool { targets.allSatisfy { $0.isMet(by: self) } }

    /// The figure as one line: value, baseline, ratio, then each target with met or MISSED.
    var line: String {
        var text = "\(id) \(label): \(unit.format(value)) | baseline \(baselineLabel): \(unit.format(baseline))"
        text += " | ratio \(FigureUnit.plain(ratio))"
        if targets.isEmpty {
            text += " | target: none set"
        } else {
            for target in targets {
                text += " | target \(target.describe(unit)): \(target.isMet(by: self) ? "met" : "MISSED")"
            }
        }
        if let note { text += " (\(note))" }
        return text
    }
}

/// How a figure's numbers are printed.
enum FigureUnit: Sendable {
    case perSecond(String)
    case nanoseconds
    case milliseconds
    case megabytes

    func format(_ value: Double) -> String {
        switch self {
        case .perSecond(let what):
            if value >= 1e6 { return "\(Self.plain(value / 1e6)) M \(what)/s" }
            if value >= 1e3 { return "\(Self.plain(value / 1e3)) k \(what)/s" }
            return "\(Self.plain(value)) \(what)/s"
        case .nanoseconds: return "\(Self.plain(value)) ns"
        case .milliseconds: return "\(Self.plain(value)) ms"
        case .megabytes: return "\(Self.plain(value)) MB"
        }
    }

    /// At least three significant digits (two below 1), no exponent.
    static func plain(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2
            : magnitude == 0 ? 0 : max(3, Int(-log10(magnitude).rounded(.down)) + 1)
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
