import Foundation

/// P5: the time from spawning `nightshift run config/demo.yaml` to its `READY=1`, and its resident memory once
/// running, beside spawning and reaping `/bin/true` (time) and a sleeping `/bin/sleep` (memory).
///
/// The host binary is the `nightshift` built next to this benchmark. The demo config is copied into the benchmark's
/// temporary directory with two lines changed: `plugin_dirs` names the build's products (the Swift plugins) and the
/// directory where the benchmark compiled `c-threshold`, and `data_dir` a private directory, so the run neither needs
/// `make plugins` nor writes into the repository.
struct StartupFootprint {
    let settings: BenchSettings
    let workspace: BenchWorkspace

    static let timeTarget = 100.0
    static let memoryTarget = 40.0

    /// The directory this executable is in, where `swift build` also put `nightshift` and the Swift plugins.
    static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    func measure() throws -> [Figure] {
        let binary = Self.productsDirectory.appendingPathComponent("nightshift").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no nightshift binary at \(binary); build it with `swift build` (or -c release)")
        }
        let config = try demoConfig()
        let socketPath = try workspace.subdirectory("p5-notify").appendingPathComponent("notify.sock").path
        let listener = try NotifyListener(path: socketPath)
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"] {
            environment.removeValue(forKey: key)
        }
        environment["NOTIFY_SOCKET"] = listener.path
        // The demo's credentials, and every service URL pointed at a closed local port: start-up is measured, and the
        // benchmark never sends a byte anywhere but this machine.
        environment["CREDENTIALS_DIRECTORY"] = try demoCredentials()
        for (key, url) in [
            ("DEMO_KALSHI_URL", "http://127.0.0.1:9/trade-api/v2"), ("DEMO_OPEN_METEO_URL", "http://127.0.0.1:9"),
            ("DEMO_ALPACA_ORDERS_URL", "http://127.0.0.1:9"), ("DEMO_ALPACA_STREAM_URL", "ws://127.0.0.1:9/v2"),
        ] { environment[key] = url }

        var readyTimes: [Double] = [], residents: [Double] = [], peaks: [Double] = []
        for _ in 0..<settings.startupRuns {
            listener.drain()
            let start = monotonicNanoseconds()
            let child = try ChildProcess.spawn(binary, ["run", config], environment: environment)
            guard let ready = listener.waitForReady(deadline: start + settings.readyBound.nanoseconds) else {
                child.signal(SIGKILL)
                child.wait(bound: .seconds(5))
                throw BenchError("nightshift sent no READY=1 within \(settings.readyBound)")
            }
            let atReady = child.memory()
            usleep(UInt32(settings.settleTime.nanoseconds / 1_000))
            let settled = child.memory()
            child.signal(SIGTERM)
            guard let status = child.wait(bound: .seconds(30)) else {
                throw BenchError("nightshift did not stop within 30 s of SIGTERM")
            }
            guard status == 0 else { throw BenchError("nightshift exited with wait status \(status) after SIGTERM") }
            readyTimes.append(Double(ready - start) / 1e6)
            residents.append(atReady?.resident ?? .nan)
            peaks.append(settled?.peak ?? .nan)
        }
        let trueTime = try spawnTrue()
        let sleeper = try sleepingProcessMemory()
        let runs = "median of \(settings.startupRuns) start(s)"
        return [
            Figure(
                id: "P5", label: "start-to-READY of `nightshift run config/demo.yaml`", value: median(readyTimes),
                unit: .milliseconds, baselineLabel: "spawn+exit /bin/true", baseline: trueTime,
                targets: [.init(bound: .valueAtMost(Self.timeTarget))],
                note: "\(runs); all: \(readyTimes.map { FigureUnit.plain($0) }.joined(separator: ", ")) ms; "
                    + "spawned: \(binary) run \(config)"),
            Figure(
                id: "P5", label: "peak resident memory (VmHWM \(settings.settleTime) after READY)", value: median(peaks),
                unit: .megabytes, baselineLabel: "VmHWM of /bin/sleep", baseline: sleeper,
                targets: [.init(bound: .valueAtMost(Self.memoryTarget))],
                note: "\(runs); VmRSS at READY \(FigureUnit.plain(median(residents))) MB"),
        ]
    }

    /// demo.yaml with its plugin and data directories pointed into the benchmark's workspace.
    private func demoConfig() throws -> String {
        try workspace.compilePlugin("plugins/c-threshold/threshold.c", name: "c-threshold")
        let demo = BenchWorkspace.root.appendingPathComponent("config/demo.yaml")
        let original = try String(contentsOf: demo, encoding: .utf8)
        let directory = try workspace.subdirectory("p5")
        let replacements = [
            ("plugin_dirs: [../.build/debug]",
             "plugin_dirs: [\(Self.productsDirectory.path), \(workspace.pluginDirectory.path)]"),
            ("data_dir: ../var/demo", "data_dir: \(directory.appendingPathComponent("data").path)"),
        ]
        var text = original
        for (old, new) in replacements {
            guard text.contains(old) else { throw BenchError("config/demo.yaml no longer contains '\(old)'") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        let path = directory.appendingPathComponent("demo.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A credentials directory like the demo script's: a fresh RSA key for Kalshi, dummy key ids and secret.
    private func demoCredentials() throws -> String {
        let directory = try workspace.subdirectory("p5-credentials")
        let key = directory.appendingPathComponent("kalshi-private-key").path
        if !FileManager.default.fileExists(atPath: key) {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw BenchError("openssl genpkey failed") }
        }
        for (name, value) in [("kalshi-key-id", "bench-key-id"), ("alpaca-key-id", "bench-key"), ("alpaca-secret", "bench-secret")] {
            try value.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory.path
    }

    /// Median milliseconds to spawn `/bin/true` and reap it.
    private func spawnTrue() throws -> Double {
        var times: [Double] = []
        for _ in 0..<settings.trueRuns {
            let start = monotonicNanoseconds()
            let child = try ChildProcess.spawn("/bin/true", [], environment: ProcessInfo.processInfo.environment)
            _ = child.waitBlocking()
            times.append(Double(monotonicNanoseconds() - start) / 1e6)
        }
        return median(times)
    }

    /// VmHWM of a `/bin/sleep` that has had 50 ms to start: the floor for any process on this machine.
    private func sleepingProcessMemory() throws -> Double {
        let child = try ChildProcess.spawn("/bin/sleep", ["5"], environment: [:])
        usleep(50_000)
        let memory = child.memory()
        child.signal(SIGKILL)
        _ = child.waitBlocking()
        guard let memory else { throw BenchError("cannot read /proc/\(child.pid)/status") }
        return memory.peak
    }
}
