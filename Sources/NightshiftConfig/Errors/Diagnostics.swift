/// An accumulator of errors threaded through a pass over a tree.
///
/// Checks report and carry on; the caller decides at the end whether anything was wrong.
struct Diagnostics: Sendable {
    private(set) var errors: [ConfigError] = []

    var isEmpty: Bool { errors.isEmpty }

    mutating func report(_ code: ConfigError.Code, _ message: String, at mark: Mark?) {
        errors.append(ConfigError(code, message, at: mark))
    }

    mutating func append(contentsOf other: [ConfigError]) {
        errors.append(contentsOf: other)
    }
}
