/// A validated plugin name and the identifiers derived from it.
///
/// A name is what deployments write after `plugin:` and what the library file is called (`lib<name>.so`), so it is
/// kept to lower-case ASCII letters, digits and single hyphens, starting with a letter: `mean-reversion`, `rsi2`.
/// From it follow the Swift module (`MeanReversion`) and the C identifier prefix (`mean_reversion`).
public struct PluginName: Sendable, Hashable, CustomStringConvertible {
    /// The longest name accepted.
    public static let maxLength = 64

    /// Swift modules a generated package cannot define: the SDK's own and the toolchain's.
    static let reservedModules: Set<String> = [
        "NightshiftKit", "NightshiftKitTesting", "NightshiftABI", "Swift", "Foundation", "Glibc", "Dispatch",
        "Synchronization", "Testing", "XCTest", "Darwin", "Self", "Any", "Type", "Protocol",
    ]

    /// The name as written, e.g. `mean-reversion`.
    public let text: String

    /// Validates `text`.
    ///
    /// - Throws: ``ScaffoldError`` with code ``ScaffoldError/Code/invalidName`` naming the rule the name breaks.
    public init(_ text: String) throws(ScaffoldError) {
        func refuse(_ reason: String) -> ScaffoldError {
            ScaffoldError(.invalidName, "invalid plugin name '\(text)': \(reason)")
        }
        guard !text.isEmpty else { throw refuse("the name is empty") }
        guard text.count <= Self.maxLength else {
            throw refuse("it is \(text.count) characters long; at most \(Self.maxLength) are allowed")
        }
        for (offset, character) in text.enumerated() {
            let allowed = ("a"..."z").contains(character) || ("0"..."9").contains(character) || character == "-"
            guard allowed, character.isASCII else {
                let hint = character.isUppercase ? " (names are lower-case)" : ""
                throw refuse(
                    "'\(character)' at position \(offset + 1) is not allowed; use lower-case letters, digits and '-'\(hint)")
            }
        }
        guard let first = text.first, ("a"..."z").contains(first) else { throw refuse("it must start with a letter") }
        guard text.last != "-" else { throw refuse("it must not end with '-'") }
        guard !text.contains("--") else { throw refuse("it must not contain '--'") }
        self.text = text
        guard !Self.reservedModules.contains(moduleName) else {
            throw refuse("its Swift module would be \(moduleName), a name the SDK or the toolchain already uses")
        }
    }

    /// The Swift module: each hyphen-separated part capitalised, e.g. `mean-reversion` → `MeanReversion`.
    public var moduleName: String {
        text.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The C identifier prefix: hyphens become underscores, e.g. `mean-reversion` → `mean_reversion`.
    public var cIdentifier: String {
        text.replacingOccurrences(of: "-", with: "_")
    }

    public var description: String { text }
}
