/// A strict parser of the Prometheus text exposition format 0.0.4, written from the format's description, for tests.
///
/// Checks what a scraper relies on: `# HELP` and `# TYPE` lines with valid names, at most one of each per family, the
/// TYPE before the family's samples; each family's lines in one group; label values with only the `\\`, `\"` and
/// `\n` escapes; values Prometheus can read (`NaN`, `+Inf`, `-Inf` included); no series twice; a final line feed.
/// Every sample must belong to a family with a TYPE (the host always writes one).
public struct PrometheusExposition: Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double

        public init(name: String, labels: [String: String], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }
    }

    public struct Family: Sendable {
        public var name: String
        public var help: String?
        public var type: String
        public var samples: [Sample] = []
    }

    /// The families by name, and their names in the order they appeared.
    public private(set) var families: [String: Family] = [:]
    public private(set) var order: [String] = []

    public init(parsing text: String) throws(Failure) {
        guard text.isEmpty || text.utf8.last == UInt8(ascii: "\n") else { throw Failure(line: 0, message: "no final line feed") }
        var helps: [String: String] = [:]
        var finished: Set<String> = []
        var current: String?
        var seen: Set<Sample> = []
        // Lines end at each line feed byte: a carriage return before one is part of the line, not a "\r\n" ending.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        for (index, raw) in lines.enumerated() {
            let number = index + 1, line = String(decoding: raw, as: UTF8.self)
            func fail(_ message: String) -> Failure { Failure(line: number, message: message) }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                let value = String(rest.dropFirst(name.count + 1))
                guard Self.isMetricName(name) else { throw fail("invalid metric name '\(name)'") }
                if name != current, finished.contains(name) || families[name] != nil { throw fail("\(name) is split in two groups") }
                if let current, current != name { finished.insert(current) }
                current = name
                if line.hasPrefix("# HELP ") {
                    guard helps[name] == nil else { throw fail("second HELP for \(name)") }
                    helps[name] = try Self.unescape(value, quotes: false).get(or: fail("bad escape in HELP"))
                } else {
                    guard families[name] == nil else { throw fail("second TYPE for \(name)") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(value) else {
                        throw fail("unknown type '\(value)'")
                    }
                    families[name] = Family(name: name, help: helps[name], type: value)
                    order.append(name)
                }
                continue
            }
            if line.hasPrefix("#") || line.allSatisfy({ $0 == " " }) { continue }
            let sample = try Self.sample(line).get(or: fail("malformed sample '\(line)'"))
            guard var family = families[sample.name] else { throw fail("sample of \(sample.name) without a TYPE") }
            guard sample.name == current else { throw fail("\(sample.name) is split in two groups") }
            guard seen.insert(Sample(name: sample.name, labels: sample.labels, value: 0)).inserted else {
                throw fail("series \(sample.name)\(sample.labels) appears twice")
            }
            family.help = helps[sample.name]
            family.samples.append(sample)
            families[sample.name] = family
        }
    }

    /// Every sample, family by family in the order they appeared.
    public var samples: [Sample] { order.flatMap { families[$0]?.samples ?? [] } }

    /// The value of the series `name{labels}`, if present.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families[name]?.samples.first { $0.labels == labels }?.value
    }

    // MARK: - Lines

    private static func sample(_ line: String) -> Sample? {
        var rest = Substring(line)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard isMetricName(name) else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0 != "=" })
                guard isLabelName(label), labels[label] == nil else { return nil }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false; continue }
                    if character == "\\" { escaped = true; value.append(character); continue }
                    if character == "\"" { break }
                    value.append(character)
                }
                guard let unescaped = unescape(value, quotes: true) else { return nil }
                labels[label] = unescaped
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count), let value = number(String(fields[0])) else { return nil }
        if fields.count == 2, Int64(fields[1]) == nil { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text).flatMap { $0.isFinite ? $0 : nil }
        }
    }

    private static func unescape(_ text: String, quotes: Bool) -> String? {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\n" || (quotes && scalar == "\"") { return nil }
            guard scalar == "\\" else { result.unicodeScalars.append(scalar); continue }
            switch iterator.next() {
            case "\\": result += "\\"
            case "n": result += "\n"
            case "\"" where quotes: result += "\""
            default: return nil
            }
        }
        return result
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
    }

    static func isLabelName(_ name: String) -> Bool {
        !name.contains(":") && isMetricName(name)
    }
}

extension Optional {
    /// The value, or `failure` thrown.
    fileprivate func get<E: Error>(or failure: @autoclosure () -> E) throws(E) -> Wrapped {
        guard let self else { throw failure() }
        return self
    }
}
