import Foundation
import Glibc

/// Runs `body` with a started `scripts/<script>` and always stops the script afterwards.
public func withScript<T>(
    _ script: String, arguments: [String] = [], _ body: (ScriptProcess) async throws -> T
) async throws -> T {
    let process = try ScriptProcess.start(script, arguments: arguments)
    defer { process.stop() }
    return try await body(process)
}

/// Runs synchronous `body` with a started `scripts/<script>` and always stops the script afterwards.
public func withScript<T>(
    _ script: String, arguments: [String] = [], _ body: (ScriptProcess) throws -> T
) throws -> T {
    let process = try ScriptProcess.start(script, arguments: arguments)
    defer { process.stop() }
    return try body(process)
}

/// Runs `body` with several started scripts and always stops every one started, also when a later one fails to start.
///
/// - Parameter scripts: `(script, arguments)` pairs, started in order; `body` gets the processes in the same order.
public func withScripts<T>(
    _ scripts: [(script: String, arguments: [String])], _ body: ([ScriptProcess]) throws -> T
) throws -> T {
    var started: [ScriptProcess] = []
    defer { started.forEach { $0.stop() } }
    for script in scripts {
        started.append(try ScriptProcess.start(script.script, arguments: script.arguments))
    }
    return try body(started)
}

extension ScriptProcess {
    /// Whether something accepts TCP connections on 127.0.0.1:`port`, e.g. a simulator that should have stopped.
    public static func acceptsConnections(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return status == 0
    }
}
