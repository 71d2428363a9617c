import Foundation

/// Reads one mapping of the host-defined part of a deployment: reports unknown keys, then typed reads by key.
///
/// Each read reports its own problem (wrong type, out of range) to the diagnostics and returns `nil`, so the caller
/// keeps its default and carries on checking the rest. Absent keys and null values read as `nil` without an error.
struct MappingReader {
    let node: YAMLNode
    /// The dotted path of the mapping (`defaults.retry`, `instances[2]`), for messages.
    let path: String
    private let entries: [YAMLNode.Entry]

    /// A reader over `node`; reports and returns `nil` if it is neither a mapping nor null.
    init?(_ node: YAMLNode, path: String, allowed: [String], diagnostics: inout Diagnostics) {
        if node.isNull {
            self.entries = []
        } else if let entries = node.mapping {
            self.entries = entries
        } else {
            let name = path.isEmpty ? "the top level" : path
            diagnostics.report(.type, "\(name): expected a mapping, got \(Self.describe(node))", at: node.mark)
            return nil
        }
        self.node = node
        self.path = path
        for entry in entries where !allowed.contains(entry.key) {
            diagnostics.report(
                .unknownKey,
                "unknown key '\(entry.key)' in \(path.isEmpty ? "the top level" : path); "
                    + Suggestion.unknownKeyHint(entry.key, allowed: allowed),
                at: entry.keyMark)
        }
    }

    /// The dotted path of `key` under this mapping.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value under `key`, unless absent or null.
    func value(_ key: String) -> YAMLNode? {
        guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// Where `key` is written, if present.
    func keyMark(_ key: String) -> Mark? {
        entries.first { $0.key == key }?.keyMark
    }

    /// The value under `key`; reports a missing key at the mapping's place.
    func required(_ key: String, _ diagnostics: inout Diagnostics) -> YAMLNode? {
        if let value = value(key) { return value }
        diagnostics.report(.missingKey, "\(path): missing required key '\(key)'", at: node.mark)
        return nil
    }

    // MARK: - Typed reads

    /// Any scalar, as text (a plain `123` reads as "123").
    func string(_ key: String, _ diagnostics: inout Diagnostics) -> String? {
        value(key).flatMap { Self.string($0, path: path(of: key), &diagnostics) }
    }

    /// An integer in `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, _ diagnostics: inout Diagnostics) -> Int? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, scalar.kind == .integer else {
            diagnostics.report(
                .type, "\(path(of: key)): expected an integer, got \(Self.describe(node))", at: node.mark)
            return nil
        }
        guard let value = scalar.integerValue.flatMap({ Int(exactly: $0) }), range.contains(value) else {
            diagnostics.report(
                .invalidValue, "\(path(of: key)): must be between \(range.lowerBound) and \(range.upperBound)",
                at: node.mark)
            return nil
        }
        return value
    }

    /// A finite number (integer or decimal notation) in `range`.
    func number(_ key: String, in range: ClosedRange<Double>, _ diagnostics: inout Diagnostics) -> Double? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, scalar.kind == .integer || scalar.kind == .number,
            let value = scalar.numberValue
        else {
            diagnostics.report(.type, "\(path(of: key)): expected a number, got \(Self.describe(node))", at: node.mark)
            return nil
        }
        guard value.isFinite, range.contains(value) else {
            diagnostics.report(
                .invalidValue, "\(path(of: key)): must be between \(range.lowerBound) and \(range.upperBound)",
                at: node.mark)
            return nil
        }
        return value
    }

    /// An exact, non-negative decimal.
    func decimal(_ key: String, _ diagnostics: inout Diagnostics) -> Decimal? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, scalar.kind == .integer || scalar.kind == .number,
            scalar.numberValue?.isFinite == true, let value = Self.decimal(scalar)
        else {
            diagnostics.report(.type, "\(path(of: key)): expected a number, got \(Self.describe(node))", at: node.mark)
            return nil
        }
        guard value >= 0 else {
            diagnostics.report(.invalidValue, "\(path(of: key)): must not be negative", at: node.mark)
            return nil
        }
        return value
    }

    /// A duration (`250ms`, `10s`, `4h30m`, or plain seconds).
    func duration(_ key: String, _ diagnostics: inout Diagnostics) -> Duration? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, let duration = DurationParser.parse(scalar.text) else {
            let got = node.scalar == nil ? node.kindName : Self.quote(node)
            diagnostics.report(
                .invalidValue,
                "\(path(of: key)): expected a duration such as 250ms, 10s, 5m, 4h30m or 2d, got \(got)", at: node.mark)
            return nil
        }
        return duration
    }

    /// One of an enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ diagnostics: inout Diagnostics) -> Choice?
    where Choice.RawValue == String {
        guard let node = value(key), let text = Self.string(node, path: path(of: key), &diagnostics) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        var message = "\(path(of: key)): must be one of \(allowed), got \(Self.quote(node))"
        if !(node.scalar?.isSensitive ?? false),
            let guess = Suggestion.closest(to: text, in: Choice.allCases.map(\.rawValue))
        {
            message += " (did you mean '\(guess)'?)"
        }
        diagnostics.report(.invalidValue, message, at: node.mark)
        return nil
    }

    /// A sequence of scalars as text, each with its place.
    func stringList(_ key: String, _ diagnostics: inout Diagnostics) -> [(text: String, mark: Mark)]? {
        guard let node = value(key) else { return nil }
        guard let items = node.sequence else {
            diagnostics.report(
                .type, "\(path(of: key)): expected a sequence, got \(Self.describe(node))", at: node.mark)
            return nil
        }
        return items.enumerated().compactMap { index, item in
            Self.string(item, path: "\(path(of: key))[\(index)]", &diagnostics).map { ($0, item.mark) }
        }
    }

    // MARK: - Helpers

    /// The exact decimal a numeric scalar spells (hexadecimal and octal integers included).
    static func decimal(_ scalar: YAMLScalar) -> Decimal? {
        if let integer = scalar.integerValue { return Decimal(integer) }
        let text = scalar.text.hasPrefix("+") ? String(scalar.text.dropFirst()) : scalar.text
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    static func string(_ node: YAMLNode, path: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let scalar = node.scalar, scalar.kind != .null else {
            diagnostics.report(.type, "\(path): expected a string, got \(describe(node))", at: node.mark)
            return nil
        }
        return scalar.text
    }

    /// `a mapping`, `a sequence`, or a scalar's kind with its text quoted (unless it holds a secret).
    static func describe(_ node: YAMLNode) -> String {
        guard let scalar = node.scalar else { return "a \(node.kindName)" }
        if scalar.kind == .null { return "null" }
        return "\(node.kindName) \(quote(node))"
    }

    /// A scalar's text in quotes, shortened; a secret is never shown.
    static func quote(_ node: YAMLNode) -> String {
        guard let scalar = node.scalar else { return "a \(node.kindName)" }
        if scalar.isSensitive { return "(a secret value, not shown)" }
        let text = scalar.text.count > 40 ? scalar.text.prefix(40) + "…" : Substring(scalar.text)
        return "\"\(text)\""
    }
}
