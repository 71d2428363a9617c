import Foundation
import NightshiftTestSupport

/// Two stock-bot hosts (`box-a`, `box-b`) for one deployment against one PostgreSQL (lease and event store) and
/// the Alpaca simulators, each a real `nightshift run` with its own data directory.
///
/// Every pair uses a fresh lease key, so suites running side by side never compete for one lease.
struct LeadershipPair {
    /// The PostgreSQL URL from `scripts/with-postgres.sh`, or nil when the tests run without one.
    static var databaseURL: String? { ProcessInfo.processInfo.environment["NIGHTSHIFT_TEST_PG_URL"] }

    let bot: StockBotDeployment
    let databaseURL: String
    let key = "lease-test-\(UUID().uuidString.prefix(8).lowercased())"
    let lease = "2s"
    let renewEvery = "500ms"
    let directory: TemporaryDirectory

    init(streamPort: Int, ordersPort: Int, databaseURL: String) throws {
        var bot = StockBotDeployment(streamPort: streamPort, ordersPort: ordersPort)
        // Trades back and forth on every quote, so orders flow on both sides of a handover.
        bot.strategies = [("momentum", StockBotDeployment.momentum(quantity: 1, maxPosition: 1000, thresholdBps: 0.1))]
        self.bot = bot
        self.databaseURL = databaseURL
        directory = try TemporaryDirectory()
    }

    /// The deployment file of `node`, whose lease statements go to `leaseURL` (the database, or a proxy before it).
    func config(node: String, leaseURL: String? = nil, standby: String = "warm") throws -> String {
        var text = bot.yaml(dataDirectory: directory.path + "/\(node)")
            .replacingOccurrences(of: "  store: sqlite\n", with: "  store: postgres\n  url: \(databaseURL)\n")
            .replacingOccurrences(of: "  name: stock-e2e\n", with: "  name: \(node)\n")
        let section = """
            leadership:
              database: \(leaseURL ?? databaseURL)
              deployment: \(key)
              node: \(node)
              lease: \(lease)
              renew_every: \(renewEvery)
              standby: \(standby)

            """
        text = text.replacingOccurrences(of: "instances:\n", with: section + "instances:\n")
        return try directory.write("\(node).yaml", text)
    }

    /// Starts `nightshift run <config> --for <duration>`.
    func start(_ config: String, for duration: String) throws -> CLIProcess.Running {
        try CLIProcess.start(["run", config, "--for", duration])
    }

    /// The database URL with its port replaced by `port` (a proxy in front of the same server).
    func url(throughPort port: Int) -> String {
        guard var parts = URLComponents(string: databaseURL) else { return databaseURL }
        parts.port = port
        return parts.string ?? databaseURL
    }
}

extension StockBotRun {
    init(_ result: CLIProcess.Result) {
        self.init(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// The events' `time` fields in order, as the JSON lines carry them (RFC 3339, UTC, microseconds).
    var times: [String] {
        stdout.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                object["type"] is String
            else { return nil }
            return object["time"] as? String
        }
    }

    /// The `time` of the first event of `type`.
    func time(of type: String) -> String? {
        index(of: type).map { times[$0] }
    }

    /// The client order ids of every `order_submitted`.
    var submittedIDs: [String] { all("order_submitted").compactMap { $0.text("client_order_id") } }
}

extension ScriptProcess {
    /// The Alpaca orders simulator's record of the order with `clientOrderID`, if it has one.
    func alpacaOrder(_ clientOrderID: String) throws -> [String: Any]? {
        let id = clientOrderID.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? clientOrderID
        let response = try LoopbackResponse.fetch(
            port: port, method: "GET", path: "/v2/orders:by_client_order_id?client_order_id=\(id)", body: nil,
            headers: ["APCA-API-KEY-ID": StockBotDeployment.keyID, "APCA-API-SECRET-KEY": StockBotDeployment.secret])
        guard response.status == 200 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    }
}

/// Runs one query with `psql` against the test database and returns its rows, fields split on `|`.
func psqlRows(_ url: String, _ sql: String) throws -> [[String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", url, "-qtAX", "-F", "|", "-c", sql]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
}
