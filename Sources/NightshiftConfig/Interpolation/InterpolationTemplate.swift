/// A scalar's text split into literal runs and `${…}` references.
///
/// The grammar: `$$` is a literal `$`; `${NAME}` and `${NAME:-default}` read the environment (the default applies
/// when the variable is unset or empty, as in the shell); `${file:/path}` reads a secret file; `${credential:name}`
/// reads a systemd credential. A `$` followed by anything else is literal.
struct InterpolationTemplate: Sendable, Equatable {
    /// One piece of a template.
    enum Part: Sendable, Equatable {
        case literal(String)
        case variable(String, default: String?)
        case file(String)
        case credential(String)
    }

    /// The pieces, in order.
    var parts: [Part]

    /// Whether the text holds any reference at all (most scalars do not).
    var hasReferences: Bool {
        parts.contains { if case .literal = $0 { false } else { true } }
    }

    /// Splits `text`; a malformed reference yields a message naming the offending text.
    static func parse(_ text: String) -> Result<InterpolationTemplate, TemplateError> {
        guard text.contains("$") else { return .success(InterpolationTemplate(parts: [.literal(text)])) }
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                literal += "$"
                rest = after.dropFirst()
            } else if after.first == "{" {
                let body = after.dropFirst()
                guard let close = body.firstIndex(of: "}") else {
                    return .failure(TemplateError(message: "unterminated '${' (a '}' is missing)"))
                }
                switch reference(String(body[..<close])) {
                case .success(let part):
                    if !literal.isEmpty { parts.append(.literal(literal)) }
                    literal = ""
                    parts.append(part)
                case .failure(let error):
                    return .failure(error)
                }
                rest = body[body.index(after: close)...]
            } else {
                literal += "$"
                rest = after
            }
        }
        literal += rest
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        return .success(InterpolationTemplate(parts: parts))
    }

    private static func reference(_ body: String) -> Result<Part, TemplateError> {
        if body.hasPrefix("file:") {
            let path = String(body.dropFirst("file:".count))
            guard !path.isEmpty else { return .failure(TemplateError(message: "'${file:}' needs a path")) }
            return .success(.file(path))
        }
        if body.hasPrefix("credential:") {
            let name = String(body.dropFirst("credential:".count))
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                return .failure(TemplateError(message: "'${credential:\(name)}' needs a plain credential name"))
            }
            return .success(.credential(name))
        }
        var name = body
        var fallback: String?
        if let separator = body.range(of: ":-") {
            name = String(body[..<separator.lowerBound])
            fallback = String(body[separator.upperBound...])
        }
        guard isVariableName(name) else {
            return .failure(
                TemplateError(message: "'${\(body)}' is not a variable reference (use ${NAME} or ${NAME:-default})"))
        }
        return .success(.variable(name, default: fallback))
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }
}

/// Why a template could not be split.
struct TemplateError: Error, Sendable, Equatable {
    var message: String
}
