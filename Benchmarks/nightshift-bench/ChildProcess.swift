import Foundation

/// A child started with `posix_spawn` (no Foundation `Process` bookkeeping in the timed path), its output sent to
/// /dev/null.
struct ChildProcess {
    let pid: pid_t

    /// Spawns `path` with `arguments` (argv[1...]) and the given environment.
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard status == 0 else { throw BenchError("posix_spawn \(path): \(String(cString: strerror(status)))") }
        return ChildProcess(pid: pid)
    }

    /// Waits for the child to exit, at most `bound`; kills it (by its pid) if it does not, and returns nil then.
    @discardableResult
    func wait(bound: Duration) -> Int32? {
        let deadline = monotonicNanoseconds() + bound.nanoseconds
        var status: Int32 = 0
        while monotonicNanoseconds() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0 { return nil }
            usleep(1_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return nil
    }

    /// Blocks until the child exits; returns the raw wait status.
    func waitBlocking() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// `VmRSS` and `VmHWM` from /proc/<pid>/status, in megabytes (MiB).
    func memory() -> (resident: Double, peak: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kilobytes(_ key: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) }
        }
        guard let resident = kilobytes("VmRSS"), let peak = kilobytes("VmHWM") else { return nil }
        return (resident / 1024, peak / 1024)
    }
}
