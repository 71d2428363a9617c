/// Substitutes `${…}` references in every scalar value of a tree, recording the secrets it inserts.
///
/// Mapping keys are left alone. Each scalar keeps its mark and style, so a plain `${PORT}` still resolves as an
/// integer; a scalar that received a secret is flagged `isSensitive` so no later message quotes it. Errors name the
/// variable, file or credential and the place, never a value.
struct Interpolator {
    let sources: InterpolationSources
    /// Every secret value inserted so far.
    private(set) var secrets: Set<String> = []
    private(set) var diagnostics = Diagnostics()

    init(sources: InterpolationSources) {
        self.sources = sources
    }

    /// Returns `node` with every scalar value interpolated.
    mutating func interpolate(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .scalar(let scalar):
            return YAMLNode(.scalar(interpolate(scalar, at: node.mark)), mark: node.mark)
        case .sequence(let items):
            return YAMLNode(.sequence(items.map { interpolate($0) }), mark: node.mark)
        case .mapping(let entries):
            let resolved = entries.map { entry in
                YAMLNode.Entry(key: entry.key, keyMark: entry.keyMark, value: interpolate(entry.value))
            }
            return YAMLNode(.mapping(resolved), mark: node.mark)
        }
    }

    /// Returns `scalar` with its references substituted; on error the scalar comes back unchanged.
    mutating func interpolate(_ scalar: YAMLScalar, at mark: Mark) -> YAMLScalar {
        let template: InterpolationTemplate
        switch InterpolationTemplate.parse(scalar.text) {
        case .success(let parsed): template = parsed
        case .failure(let error):
            diagnostics.report(.syntax, error.message, at: mark)
            return scalar
        }
        guard template.hasReferences || scalar.text.contains("$$") else { return scalar }
        var result = scalar
        result.text = ""
        var failed = false
        for part in template.parts {
            guard let (text, sensitive) = resolve(part, at: mark) else {
                failed = true
                continue
            }
            result.text += text
            if sensitive {
                result.isSensitive = true
                if !text.isEmpty { secrets.insert(text) }
            }
        }
        return failed ? scalar : result
    }

    // MARK: - Private

    private mutating func resolve(_ part: InterpolationTemplate.Part, at mark: Mark) -> (String, Bool)? {
        switch part {
        case .literal(let text):
            return (text, false)
        case .variable(let name, let fallback):
            let sensitive = InterpolationSources.isSensitive(variable: name)
            if let value = sources.environment[name], !(fallback != nil && value.isEmpty) {
                return (value, sensitive)
            }
            if let fallback { return (fallback, false) }
            diagnostics.report(
                .missingEnvironment,
                "environment variable '\(name)' is not set (write ${\(name):-default} to give a default)", at: mark)
            return nil
        case .file(let path):
            let absolute = PathResolver.resolve(path, against: sources.baseDirectory)
            switch InterpolationSources.readSecret(atPath: absolute) {
            case .success(let value): return (value, true)
            case .failure(let error):
                diagnostics.report(.secret, "secret file '\(absolute)' \(error.message)", at: mark)
                return nil
            }
        case .credential(let name):
            guard let directory = sources.credentialsDirectory, !directory.isEmpty else {
                diagnostics.report(
                    .secret,
                    "credential '\(name)' is referenced but CREDENTIALS_DIRECTORY is not set "
                        + "(give it with LoadCredential=\(name):… in the systemd unit)", at: mark)
                return nil
            }
            switch InterpolationSources.readSecret(atPath: PathResolver.resolve(name, against: directory)) {
            case .success(let value): return (value, true)
            case .failure(let error):
                diagnostics.report(.secret, "credential '\(name)' in CREDENTIALS_DIRECTORY \(error.message)", at: mark)
                return nil
            }
        }
    }
}
