/// The byte-level scanners behind `Redactor`, each replacing one shape of secret in place.
///
/// They work on UTF-8 bytes: every pattern is ASCII, so a match never splits a multi-byte character, and no regular
/// expression engine sits on the logging path.
enum RedactionScanner {
    static let placeholder = Array(Redactor.placeholder.utf8)

    // MARK: - Exact values

    /// Replaces every occurrence of `needle`; returns whether anything changed.
    static func replaceAll(_ bytes: inout [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        var output = [UInt8]()
        var index = 0
        var changed = false
        while index < bytes.count {
            if bytes[index] == needle[0], matches(bytes, at: index, needle) {
                output.append(contentsOf: placeholder)
                index += needle.count
                changed = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        if changed { bytes = output }
        return changed
    }

    // MARK: - PEM private keys

    /// Replaces `-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----` (to the end if the END is missing).
    static func redactPrivateKeys(_ bytes: inout [UInt8]) -> Bool {
        let begin = Array("-----BEGIN ".utf8), dashes = Array("-----".utf8), end = Array("-----END ".utf8)
        var changed = false
        var searchFrom = 0
        while let start = find(bytes, begin, from: searchFrom) {
            guard let labelEnd = find(bytes, dashes, from: start + begin.count) else { break }
            let label = String(decoding: bytes[start + begin.count..<labelEnd], as: UTF8.self)
            guard label.hasSuffix("PRIVATE KEY") else { searchFrom = labelEnd; continue }
            var stop = bytes.count
            if let endStart = find(bytes, end, from: labelEnd + dashes.count),
               let endDashes = find(bytes, dashes, from: endStart + end.count) {
                stop = endDashes + dashes.count
            }
            bytes.replaceSubrange(start..<stop, with: placeholder)
            searchFrom = start + placeholder.count
            changed = true
        }
        return changed
    }

    // MARK: - URL passwords

    /// Replaces the password in `scheme://user:password@host`, keeping the user and the host.
    static func redactURLPasswords(_ bytes: inout [UInt8]) -> Bool {
        let marker = Array("://".utf8)
        var changed = false
        var searchFrom = 0
        while let start = find(bytes, marker, from: searchFrom) {
            let authority = start + marker.count
            var stop = authority
            while stop < bytes.count, !isAuthorityEnd(bytes[stop]) { stop += 1 }
            searchFrom = stop
            guard let at = bytes[authority..<stop].lastIndex(of: UInt8(ascii: "@")),
                  let colon = bytes[authority..<at].firstIndex(of: UInt8(ascii: ":")), colon + 1 < at,
                  !matches(bytes, at: colon + 1, placeholder)
            else { continue }
            bytes.replaceSubrange(colon + 1..<at, with: placeholder)
            searchFrom = colon + 1 + placeholder.count
            changed = true
        }
        return changed
    }

    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || "/?#\"'<>`".utf8.contains(byte)
    }

    // MARK: - Bearer tokens

    /// Replaces the token after the word `Bearer` (any case).
    static func redactBearerTokens(_ bytes: inout [UInt8]) -> Bool {
        let word = Array("bearer".utf8)
        var changed = false
        var index = 0
        while index + word.count < bytes.count {
            guard matchesIgnoringCase(bytes, at: index, word), index == 0 || !isWordByte(bytes[index - 1]) else {
                index += 1
                continue
            }
            var tokenStart = index + word.count
            guard tokenStart < bytes.count, bytes[tokenStart] == UInt8(ascii: " ") else { index += 1; continue }
            while tokenStart < bytes.count, bytes[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
            var tokenEnd = tokenStart
            while tokenEnd < bytes.count, !isValueEnd(bytes[tokenEnd]) { tokenEnd += 1 }
            if tokenEnd > tokenStart, !matches(bytes, at: tokenStart, placeholder) {
                bytes.replaceSubrange(tokenStart..<tokenEnd, with: placeholder)
                changed = true
            }
            index = tokenStart + 1
        }
        return changed
    }

    // MARK: - key=value pairs

    /// Replaces the value after a key that names a secret: `password=…`, `token: …`, `"api_key":"…"`.
    static func redactKeyValues(_ bytes: inout [UInt8], fragments: [[UInt8]]) -> Bool {
        var changed = false
        var index = 0
        while index < bytes.count {
            guard isKeyByte(bytes[index]) else { index += 1; continue }
            let keyStart = index
            while index < bytes.count, isKeyByte(bytes[index]) { index += 1 }
            guard isSensitive(key: Array(bytes[keyStart..<index]), fragments: fragments),
                  let value = valueSpan(bytes, afterKey: index)
            else { continue }
            bytes.replaceSubrange(value, with: placeholder)
            index = value.lowerBound + placeholder.count
            changed = true
        }
        return changed
    }

    /// The value after a key ending at `keyEnd`: `"key" : "value"`, `key=value`, `key: Scheme token`.
    private static func valueSpan(_ bytes: [UInt8], afterKey keyEnd: Int) -> Range<Int>? {
        var index = keyEnd
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") { index += 1 }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: ":")
        else { return nil }
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard index < bytes.count else { return nil }
        let quote = bytes[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let start = index + 1
            var stop = start
            while stop < bytes.count, bytes[stop] != quote { stop += bytes[stop] == UInt8(ascii: "\\") ? 2 : 1 }
            stop = min(stop, bytes.count)
            return stop > start && !matches(bytes, at: start, placeholder) ? start..<stop : nil
        }
        let start = index
        var stop = start
        while stop < bytes.count, !isValueEnd(bytes[stop]) { stop += 1 }
        guard stop > start, !matches(bytes, at: start, placeholder) else { return nil }
        // An authorization scheme (`Basic`, `Bearer`, `Digest`) is followed by the credential itself.
        let scheme = String(decoding: bytes[start..<stop], as: UTF8.self).lowercased()
        if ["basic", "bearer", "digest", "token"].contains(scheme), stop + 1 < bytes.count,
           bytes[stop] == UInt8(ascii: " ") {
            var credentialEnd = stop + 1
            if matches(bytes, at: credentialEnd, placeholder) {
                credentialEnd += placeholder.count
            } else {
                while credentialEnd < bytes.count, !isValueEnd(bytes[credentialEnd]) { credentialEnd += 1 }
            }
            if credentialEnd > stop + 1 { stop = credentialEnd }
        }
        return start..<stop
    }

    /// Whether a key, lowercased with `_`/`-`/`.` removed, contains one of the normalised fragments.
    static func isSensitive(key: [UInt8], fragments: [[UInt8]]) -> Bool {
        let normalized = normalizedKey(key)
        return fragments.contains { fragment in find(normalized, fragment, from: 0) != nil }
    }

    static func normalizedKey(_ key: [UInt8]) -> [UInt8] {
        key.compactMap { byte in
            if byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") { return nil }
            return (65...90).contains(byte) ? byte + 32 : byte
        }
    }

    // MARK: - Byte helpers

    static func find(_ bytes: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0 else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], matches(bytes, at: index, needle) { return index }
            index += 1
        }
        return nil
    }

    static func matches(_ bytes: [UInt8], at index: Int, _ needle: [UInt8]) -> Bool {
        guard index >= 0, index + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count where bytes[index + offset] != needle[offset] { return false }
        return true
    }

    static func matchesIgnoringCase(_ bytes: [UInt8], at index: Int, _ lowercaseNeedle: [UInt8]) -> Bool {
        guard index + lowercaseNeedle.count <= bytes.count else { return false }
        for offset in 0..<lowercaseNeedle.count {
            let byte = bytes[index + offset]
            if ((65...90).contains(byte) ? byte + 32 : byte) != lowercaseNeedle[offset] { return false }
        }
        return true
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "_")
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func isValueEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || ",;&\"'}])>".utf8.contains(byte)
    }
}
