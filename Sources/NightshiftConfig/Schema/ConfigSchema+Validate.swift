import NightshiftJSON

/// Checking a YAML subtree against a schema.
extension ConfigSchema {
    /// Every way `node` violates this schema, each with its place, ordered by place.
    ///
    /// Validation does not stop at the first problem: a wrong type in one property does not hide an unknown key in
    /// another. Values of `secret` properties (and scalars that came from a secret source) are never quoted.
    ///
    /// - Parameters:
    ///   - node: The subtree, usually an instance's `config`.
    ///   - path: How messages name the subtree's root, e.g. `instances[0].config`.
    public func validate(_ node: YAMLNode, path: String = "config") -> [ConfigError] {
        var diagnostics = Diagnostics()
        check(node, path: path, secret: false, &diagnostics)
        return ConfigErrors(diagnostics.errors).errors
    }

    private func check(_ node: YAMLNode, path: String, secret: Bool, _ diagnostics: inout Diagnostics) {
        let secret = secret || isSecret
        switch effectiveType {
        case .object?: checkObject(node, path: path, secret: secret, &diagnostics)
        case .array?:
            guard let items = node.sequence else { return mismatch("an array", node, path, secret, &diagnostics) }
            for (index, item) in items.enumerated() {
                self.items?.check(item, path: "\(path)[\(index)]", secret: secret, &diagnostics)
            }
        case .string?:
            guard let scalar = node.scalar, scalar.kind != .null else {
                return mismatch("a string", node, path, secret, &diagnostics)
            }
            checkString(scalar.text, node, path: path, secret: secret, &diagnostics)
        case .integer?:
            guard let number = Self.integer(node) else {
                return mismatch("an integer", node, path, secret, &diagnostics)
            }
            checkRange(Double(number), node, path: path, &diagnostics)
        case .number?:
            guard let scalar = node.scalar, scalar.kind == .integer || scalar.kind == .number,
                let number = scalar.numberValue, number.isFinite
            else { return mismatch("a number", node, path, secret, &diagnostics) }
            checkRange(number, node, path: path, &diagnostics)
        case .boolean?:
            guard node.scalar?.kind == .boolean else { return mismatch("a boolean", node, path, secret, &diagnostics) }
        case nil:
            break
        }
        checkEnum(node, path: path, secret: secret, &diagnostics)
    }

    // MARK: - Objects

    private func checkObject(_ node: YAMLNode, path: String, secret: Bool, _ diagnostics: inout Diagnostics) {
        guard let entries = node.mapping else { return mismatch("a mapping", node, path, secret, &diagnostics) }
        let names = properties.map(\.name)
        for entry in entries {
            let childPath = "\(path).\(entry.key)"
            if let property = property(entry.key) {
                property.check(entry.value, path: childPath, secret: secret, &diagnostics)
                continue
            }
            switch additionalProperties {
            case .allowed: break
            case .schema(let schema): schema.check(entry.value, path: childPath, secret: secret, &diagnostics)
            case .forbidden:
                diagnostics.report(
                    .unknownKey,
                    "unknown key '\(entry.key)' in \(path); " + Suggestion.unknownKeyHint(entry.key, allowed: names),
                    at: entry.keyMark)
            }
        }
        for name in required where !entries.contains(where: { $0.key == name }) && property(name)?.defaultValue == nil {
            diagnostics.report(.missingKey, "\(path): missing required key '\(name)'", at: node.mark)
        }
    }

    // MARK: - Scalars

    private func checkString(
        _ text: String, _ node: YAMLNode, path: String, secret: Bool, _ diagnostics: inout Diagnostics
    ) {
        let length = text.count
        if let minLength, length < minLength {
            diagnostics.report(.invalidValue, "\(path): must be at least \(minLength) characters long", at: node.mark)
        }
        if let maxLength, length > maxLength {
            diagnostics.report(.invalidValue, "\(path): must be at most \(maxLength) characters long", at: node.mark)
        }
        if let pattern, let regex = try? Regex(pattern), text.firstMatch(of: regex) == nil {
            let shown = secret || node.scalar?.isSensitive == true ? "" : " (got \(MappingReader.quote(node)))"
            diagnostics.report(.invalidValue, "\(path): must match the pattern \(pattern)\(shown)", at: node.mark)
        }
    }

    private func checkRange(_ number: Double, _ node: YAMLNode, path: String, _ diagnostics: inout Diagnostics) {
        if let minimum, number < minimum {
            diagnostics.report(.invalidValue, "\(path): must be at least \(JSONValue.format(minimum))", at: node.mark)
        }
        if let maximum, number > maximum {
            diagnostics.report(.invalidValue, "\(path): must be at most \(JSONValue.format(maximum))", at: node.mark)
        }
    }

    private func checkEnum(_ node: YAMLNode, path: String, secret: Bool, _ diagnostics: inout Diagnostics) {
        guard let enumValues, let value = typedValue(node), !enumValues.contains(value) else { return }
        let allowed = enumValues.map { $0.scalarText ?? $0.jsonText }
        var message = "\(path): must be one of \(allowed.joined(separator: ", "))"
        if !(secret || node.scalar?.isSensitive == true) {
            message += ", got \(MappingReader.quote(node))"
            if case .string(let text) = value, let guess = Suggestion.closest(to: text, in: allowed) {
                message += " (did you mean '\(guess)'?)"
            }
        }
        diagnostics.report(.invalidValue, message, at: node.mark)
    }

    private func mismatch(
        _ expected: String, _ node: YAMLNode, _ path: String, _ secret: Bool, _ diagnostics: inout Diagnostics
    ) {
        let got = node.scalar == nil || secret ? "a \(node.kindName)" : MappingReader.describe(node)
        diagnostics.report(.type, "\(path): expected \(expected), got \(got)", at: node.mark)
    }

    /// An integer scalar, including integral numbers such as `5.0`.
    static func integer(_ node: YAMLNode) -> Int64? {
        guard let scalar = node.scalar else { return nil }
        if scalar.kind == .integer { return scalar.integerValue }
        if scalar.kind == .number, let number = scalar.numberValue, number == number.rounded(),
            abs(number) < 9.2e18
        {
            return Int64(number)
        }
        return nil
    }
}
