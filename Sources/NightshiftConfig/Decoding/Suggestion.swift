/// "Did you mean" suggestions by edit distance.
enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    ///
    /// Close enough means an edit distance of at most a third of the candidate's length (and at least 2), which
    /// catches transpositions and dropped letters without suggesting unrelated keys.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { (candidate: $0, distance: levenshtein(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(2, best.candidate.count / 3) ? best.candidate : nil
    }

    /// The message tail for an unknown key: `(did you mean 'x'?); allowed keys: a, b, c`.
    static func unknownKeyHint(_ key: String, allowed: [String]) -> String {
        let allowedList = allowed.isEmpty ? "none" : allowed.joined(separator: ", ")
        if let guess = closest(to: key, in: allowed) {
            return "did you mean '\(guess)'? allowed keys: \(allowedList)"
        }
        return "allowed keys: \(allowedList)"
    }

    /// The Levenshtein distance between two strings, by characters.
    static func levenshtein(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
