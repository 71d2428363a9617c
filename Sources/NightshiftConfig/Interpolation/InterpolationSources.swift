import Foundation

/// Where `${…}` references are resolved: the environment, secret files and systemd credentials.
///
/// The environment is a plain dictionary so tests and `nightshift check` can inject one. Credentials follow systemd's
/// `LoadCredential=`: `${credential:name}` reads `$CREDENTIALS_DIRECTORY/name`.
public struct InterpolationSources: Sendable {
    /// The environment variables.
    public var environment: [String: String]
    /// The directory systemd put the credentials in; `nil` when the process has none.
    public var credentialsDirectory: String?
    /// The directory relative `${file:…}` paths are resolved against (the deployment file's directory).
    public var baseDirectory: String

    /// Creates sources; the credentials directory defaults to `environment["CREDENTIALS_DIRECTORY"]`.
    public init(environment: [String: String], credentialsDirectory: String? = nil, baseDirectory: String) {
        self.environment = environment
        self.credentialsDirectory = credentialsDirectory ?? environment["CREDENTIALS_DIRECTORY"]
        self.baseDirectory = baseDirectory
    }

    /// The words that make an environment variable's value a secret when its name contains one.
    public static let sensitiveNameParts = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSPHRASE", "PRIVATE"]

    /// Whether a variable named `name` holds a secret by its name.
    public static func isSensitive(variable name: String) -> Bool {
        let upper = name.uppercased()
        return sensitiveNameParts.contains { upper.contains($0) }
    }

    /// The values of every sensitive-by-name variable in the environment (empty values excluded).
    public var sensitiveEnvironmentValues: Set<String> {
        Set(environment.filter { Self.isSensitive(variable: $0.key) && !$0.value.isEmpty }.map(\.value))
    }

    // MARK: - Secret reading

    /// The content of a secret file, with trailing newlines trimmed; the failure reason never quotes the content.
    static func readSecret(atPath path: String) -> Result<String, TemplateError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(TemplateError(message: "does not exist"))
        }
        guard !isDirectory.boolValue else { return .failure(TemplateError(message: "is a directory")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(TemplateError(message: "cannot be read (permissions?)"))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            return .failure(TemplateError(message: "is not valid UTF-8"))
        }
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" {
            text.unicodeScalars.removeLast()
        }
        return .success(text)
    }
}
