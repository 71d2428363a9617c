import Foundation

/// Where the built plugin libraries are, and how to build the C plugin for a test.
enum BuildProducts {
    /// The repository root, found from this file's location.
    static let repositoryRoot = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The directory holding the test executable, where SwiftPM also puts the plugin libraries.
    static var productsDirectory: URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(filePath: executable).deletingLastPathComponent()
    }

    /// The path of a Swift plugin product, e.g. `libsynthetic-quotes.so`.
    static func swiftPlugin(_ product: String) -> String {
        productsDirectory.appending(path: "lib\(product).so").path
    }

    /// Compiles `plugins/c-threshold/threshold.c` with the system C compiler into a fresh directory.
    ///
    /// - Returns: The library's path and the directory to remove afterwards.
    static func compileCThreshold() throws -> (library: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nightshift-c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let library = directory.appending(path: "libc-threshold.so").path
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-std=c11",
            "-I", repositoryRoot.appending(path: "Sources/NightshiftABI/include").path,
            repositoryRoot.appending(path: "plugins/c-threshold/threshold.c").path, "-o", library,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CompileError(output: String(decoding: output, as: UTF8.self))
        }
        return (library, directory)
    }

    struct CompileError: Error, CustomStringConvertible {
        var output: String
        var description: String { "cc failed: \(output)" }
    }
}
