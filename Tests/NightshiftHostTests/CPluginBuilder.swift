import Foundation
import Testing

/// Compiles C plugins with the system C compiler into a private temporary directory, for tests of the real loader.
struct CPluginBuilder {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    /// The repository root, found from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let includeDirectory = root.appendingPathComponent("Sources/NightshiftABI/include").path
    static let fixtureDirectory = root.appendingPathComponent("Tests/NightshiftHostTests/Fixtures").path

    /// Builds `source` (relative to the repository root) into `<name>.so` with extra `-D` definitions.
    func build(_ source: String, name: String, defines: [String] = []) throws -> String {
        let output = directory.appendingPathComponent("\(name).so").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-O1", "-I", Self.includeDirectory, "-I", Self.fixtureDirectory]
            + defines.map { "-D\($0)" } + ["-o", output, Self.root.appendingPathComponent(source).path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BuildError(message: "cc failed for \(name): \(message)")
        }
        return output
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    struct BuildError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
