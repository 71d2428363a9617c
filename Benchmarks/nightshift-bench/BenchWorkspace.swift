import Foundation

/// The benchmark's private files: a temporary directory for databases and configs, and the C benchmark plugins
/// compiled into it with `cc -O2`.
final class BenchWorkspace: Sendable {
    /// The repository root, found from this file's location at build time.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The temporary directory; removed by `remove()`.
    let directory: URL
    /// Where the compiled plugins are (mode 0755, as the plugin loader requires).
    let pluginDirectory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-bench-\(UUID().uuidString)")
        pluginDirectory = directory.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(
            at: pluginDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    /// A fresh subdirectory named `name`.
    func subdirectory(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return url
    }

    /// Compiles `source` (relative to the repository root) into `lib<name>.so` in the plugin directory.
    ///
    /// - Returns: the path of the library.
    @discardableResult
    func compilePlugin(_ source: String, name: String) throws -> String {
        let output = pluginDirectory.appendingPathComponent("lib\(name).so").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra",
            "-I", Self.root.appendingPathComponent("Sources/NightshiftABI/include").path,
            "-o", output, Self.root.appendingPathComponent(source).path,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("cc failed for \(source): \(message)") }
        return output
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A measurement that could not be made, with the reason.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
