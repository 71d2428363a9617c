/// What a metric family counts, as the exposition format's `# TYPE` line names it.
public enum MetricKind: String, Sendable, Hashable {
    /// A value that only goes up (reset to zero when the process restarts).
    case counter
    /// A value that goes up and down, sampled when scraped.
    case gauge
}

/// One series of a family: its label values, in the family's label-name order, and its value.
public struct MetricSample: Sendable, Hashable {
    public var labels: [String]
    public var value: Double

    public init(_ labels: [String] = [], _ value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A metric family as it is rendered: a full name, its help text, its kind, its label names and its series.
public struct MetricFamily: Sendable, Hashable {
    /// The full name, prefix included (`nightshift_events_total`).
    public var name: String
    public var help: String
    public var kind: MetricKind
    public var labelNames: [String]
    public var samples: [MetricSample]

    public init(name: String, help: String, kind: MetricKind, labelNames: [String], samples: [MetricSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        self.samples = samples
    }

    /// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    /// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the reserved `__`).
    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
