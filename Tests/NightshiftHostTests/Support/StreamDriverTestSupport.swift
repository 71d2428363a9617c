import Foundation
import NightshiftConfig
import Synchronization
@testable import NightshiftHost

/// A `HostLog` that keeps every row in memory, for assertions on the event sequence.
final class RecordedEvents: HostLog {
    struct Row: Sendable {
        var type: String
        var instance: String
        var message: String
        var fields: [String: HostLogValue]

        func int(_ key: String) -> Int64? {
            if case .int(let value) = fields[key] { value } else { nil }
        }

        func string(_ key: String) -> String? {
            if case .string(let value) = fields[key] { value } else { nil }
        }
    }

    private let rows = Mutex<[Row]>([])

    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        rows.withLock { $0.append(Row(type: type, instance: instance, message: message, fields: fields)) }
    }

    /// Every row so far, in order.
    var all: [Row] { rows.withLock { $0 } }

    /// The rows whose type starts with one of `prefixes`, in order.
    func rows(_ prefixes: String...) -> [Row] {
        all.filter { row in prefixes.contains { row.type.hasPrefix($0) } }
    }

    /// The rows of type `type`.
    func rows(ofType type: String) -> [Row] { all.filter { $0.type == type } }
}

/// A real `Runtime` over one stream-source instance of the echo-stream test plugin, running on its own thread.
final class StreamTestRun: Sendable {
    static let pluginSource = "Tests/NightshiftHostTests/Fixtures/echo_stream_plugin.c"

    let runtime: Runtime
    let events = RecordedEvents()
    private let exitCode = Mutex<ExitCode?>(nil)

    /// Loads a deployment whose instance `feed` connects to `url` with the given `reconnect:` settings (YAML flow
    /// mapping), from the plugin built into `pluginDirectory`.
    init(url: String, reconnect: String, pluginDirectory: String) throws {
        let yaml = """
            host:
              name: stream-test
              plugin_dirs: ["\(pluginDirectory)"]
              data_dir: "\(pluginDirectory)/var"
              shutdown_timeout: 5s
            instances:
              - name: feed
                plugin: echo_stream
                reconnect: \(reconnect)
                config:
                  url: "\(url)"
                  symbol: AAPL
            """
        let deployment = try ConfigLoader.load(
            text: yaml, file: "stream-test.yaml", directory: pluginDirectory, environment: [:], hostName: "test")
        let prepared = try PreparedDeployment.prepare(deployment)
        runtime = Runtime(prepared: prepared, runID: UUID().uuidString, log: events)
    }

    /// Starts `runtime.run()` on a thread of its own; the exit code is kept when it returns.
    func start() {
        let thread = Thread { [self] in
            let code = runtime.run()
            exitCode.withLock { $0 = code }
        }
        thread.name = "stream-test-runtime"
        thread.start()
    }

    /// The exit code, once `run()` has returned.
    var exit: ExitCode? { exitCode.withLock { $0 } }

    /// Waits until `condition` holds for the rows so far; false if it still does not after `limit` (a guard against a
    /// hang, never an assertion on time).
    func wait(upTo limit: Duration = .seconds(15), until condition: (RecordedEvents) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(events) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(events)
    }

    /// Waits for `run()` to return by itself.
    func waitForExit(upTo limit: Duration = .seconds(15)) async -> ExitCode? {
        _ = await wait(upTo: limit) { _ in self.exit != nil }
        return exit
    }

    /// Asks the runtime to stop, as SIGTERM does, and waits for its exit code.
    func stop() async -> ExitCode? {
        runtime.shutdown.trigger()
        return await waitForExit()
    }
}

/// The frames a `ws_peer.py --frame-log` peer received, by connection.
struct PeerFrameLog {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-frames-\(UUID().uuidString).log").path
    }

    /// Every line as (connection, text), in the order the peer wrote them.
    var lines: [(connection: Int, text: String)] {
        guard let content = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return content.split(separator: "\n").compactMap { line in
            guard let space = line.firstIndex(of: " "), let connection = Int(line[..<space]) else { return nil }
            return (connection, String(line[line.index(after: space)...]))
        }
    }

    /// The `action` of each JSON frame connection `connection` sent, in order ("closed <code>" lines excluded).
    func actions(on connection: Int) -> [String] {
        lines.filter { $0.connection == connection }.compactMap { line in
            guard let data = line.text.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            return object["action"] as? String
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
