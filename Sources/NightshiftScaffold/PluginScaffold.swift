import Foundation

/// Generates standalone plugin packages: what `nightshift plugin new` writes.
///
/// ``files(for:)`` is pure — the package as text, for a test or a dry run — and ``write(_:into:)`` is the thin shell
/// that puts it on disk. A Swift package depends on the SDK by path and builds offline; a C package is one source
/// file, a Makefile and a C test program. Both carry a `deployment.yaml` to try the plugin with and a README.
public enum PluginScaffold {
    /// The files of the package for `request`, paths relative to the package root.
    public static func files(for request: ScaffoldRequest) -> [ScaffoldFile] {
        let template = TemplateValues(request)
        let common = [
            ScaffoldFile("deployment.yaml", DeploymentTemplate.text(for: request, values: template)),
            ScaffoldFile("README.md", ReadmeTemplate.text(for: request, values: template)),
        ]
        switch request.language {
        case .swift: return SwiftPackageTemplate.files(for: request, values: template) + common
        case .c: return CPackageTemplate.files(for: request, values: template) + common
        }
    }

    /// Writes the package for `request` into `directory`, creating it.
    ///
    /// - Returns: The paths written, relative to `directory`.
    /// - Throws: ``ScaffoldError`` with code ``ScaffoldError/Code/outputInUse`` when `directory` exists and is not
    ///   empty (nothing is overwritten), or ``ScaffoldError/Code/writeFailed`` when a file cannot be written.
    @discardableResult
    public static func write(_ request: ScaffoldRequest, into directory: String) throws(ScaffoldError) -> [String] {
        let fileManager = FileManager.default
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ScaffoldError(.outputInUse, "output \(root.path) exists and is not a directory")
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? []
            guard entries.isEmpty else {
                throw ScaffoldError(
                    .outputInUse, "output directory \(root.path) exists and is not empty; choose another with --output")
            }
        }
        if request.language == .swift, root.lastPathComponent.lowercased() == request.sdk.packageIdentity {
            throw ScaffoldError(
                .outputInUse,
                "output directory name '\(root.lastPathComponent)' would give the package the same SwiftPM identity "
                    + "as the SDK checkout \(request.sdk.root); choose another with --output")
        }
        let files = files(for: request)
        do {
            for file in files {
                let url = root.appendingPathComponent(file.path)
                try fileManager.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
                try fileManager.setAttributes(
                    [.posixPermissions: file.isExecutable ? 0o755 : 0o644], ofItemAtPath: url.path)
            }
        } catch {
            throw ScaffoldError(.writeFailed, "cannot write the package into \(root.path): \(error.localizedDescription)")
        }
        return files.map(\.path)
    }
}

/// The values substituted into the templates, each escaped for the language it lands in.
struct TemplateValues {
    private let values: [String: String]

    init(_ request: ScaffoldRequest) {
        let sdk = request.sdk
        values = [
            "name": request.name.text,
            "Module": request.name.moduleName,
            "c": request.name.cIdentifier,
            "kind": request.kind.rawValue,
            "sdk": sdk.root,
            "sdkSwift": Self.swiftLiteral(sdk.root),
            "identity": Self.swiftLiteral(sdk.packageIdentity),
            "include": sdk.includeDirectory,
            "sdkProductsYAML": Self.yamlLiteral(sdk.productsDirectory),
        ]
    }

    /// Replaces every `{{key}}` in `text` with its value.
    func render(_ text: String) -> String {
        values.reduce(text) { text, entry in text.replacingOccurrences(of: "{{\(entry.key)}}", with: entry.value) }
    }

    subscript(key: String) -> String { values[key] ?? "" }

    /// A Swift string literal's contents: backslashes and quotes escaped.
    static func swiftLiteral(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// A double-quoted YAML scalar.
    static func yamlLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
