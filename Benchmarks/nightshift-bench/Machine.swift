import Foundation

/// The machine and toolchain a run measured, printed above the figures so they can be compared across runs.
struct Machine: Sendable {
    var processors: Int
    var cpuModel: String
    var swiftVersion: String
    var kernel: String
    /// `release` or `debug`: figures from a debug build are not the host's real speed.
    var build: String

    static func current() -> Machine {
        Machine(
            processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            cpuModel: cpuModel(), swiftVersion: swiftVersion(), kernel: kernel(), build: buildConfiguration)
    }

    var lines: [String] {
        [
            "machine: nproc \(processors), CPU \(cpuModel), kernel \(kernel)",
            "toolchain: \(swiftVersion); bench built for \(build)",
        ]
    }

    private static var buildConfiguration: String {
        #if DEBUG
        "debug (figures are NOT representative; use `swift build -c release`)"
        #else
        "release"
        #endif
    }

    /// The first `model name` in /proc/cpuinfo.
    private static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// The first line of `swift --version` from the toolchain on PATH.
    private static func swiftVersion() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        guard (try? process.run()) != nil else { return "swift not found on PATH" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.contains("Swift version") }
        return first.map(String.init) ?? "unknown Swift version"
    }

    private static func kernel() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
