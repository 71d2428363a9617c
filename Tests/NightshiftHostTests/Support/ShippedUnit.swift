import Foundation

/// config/nightshift.service as shipped, adapted for a test only where the machine or the clock demands it.
///
/// Every hardening directive stays: the host runs as a dynamic user under `ProtectSystem=strict`,
/// `MemoryDenyWriteExecute=yes`, the system-call filter and the rest, exactly as in production. The adaptations,
/// each applied by `adapted(binary:)` and failing loudly if the shipped line it rewrites is gone:
///
/// 1. `ExecStart=`: the binary is the build product installed as /etc/nightshift/bin/nightshift, not
///    /usr/local/bin/nightshift (the sandbox shares the machine's /usr, which a test must not write). The deployment path stays /etc/nightshift/deployment.yaml:
///    the sandbox's /etc is its own copy-on-write view, and the test installs the deployment there.
/// 2. `RestartSec=5` becomes 1 s and 3. `WatchdogSec=30` becomes 2 s, for test speed.
/// 4. `ExecStopPost=` is added: it appends `$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS` of every run to
///    `resultsFile`, because `Result` is reset when a restarted run begins. The `+` prefix runs it outside the
///    service's sandboxing (its /run is read-only to the dynamic user); the host itself is unaffected.
///
/// Left as shipped: the credential paths (the test installs a dummy file per `LoadCredential=` under the sandbox's
/// /etc/nightshift/credentials), the state directory (/var/lib/nightshift, in the sandbox's in-memory /var), the
/// start, stop and abort timeouts and the start limit.
enum ShippedUnit {
    static let path = SystemdSandbox.repositoryRoot + "/config/nightshift.service"
    static let name = "nightshift.service"
    static let deploymentPath = "/etc/nightshift/deployment.yaml"
    static let credentialDirectory = "/etc/nightshift/credentials"
    static let stateDirectory = "/var/lib/nightshift"
    /// One line per ended run: `$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS`, e.g. `watchdog dumped ABRT`.
    static let resultsFile = "/run/nightshift.results"

    /// The shipped unit text.
    static func text() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The credential IDs the unit loads (`LoadCredential=ID:PATH`), in order.
    static func credentialIDs() throws -> [String] {
        try text().split(separator: "\n").compactMap { line in
            guard line.hasPrefix("LoadCredential=") else { return nil }
            return line.dropFirst("LoadCredential=".count).split(separator: ":").first.map(String.init)
        }
    }

    /// The unit with the adaptations above, running `binary`.
    static func adapted(binary: String) throws -> String {
        let recordResult = #"ExecStopPost=+/bin/sh -c 'echo "$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS" >>"#
            + resultsFile + "'"
        return try [
            ("ExecStart=/usr/local/bin/nightshift run \(deploymentPath)",
             "ExecStart=\(binary) run \(deploymentPath)\n\(recordResult)"),
            ("RestartSec=5", "RestartSec=1"),
            ("WatchdogSec=30", "WatchdogSec=2"),
        ].reduce(text()) { unit, change in try replaceLine(change.0, with: change.1, in: unit) }
    }

    /// `unit` with the line that is exactly `line` replaced; throws if there is not exactly one such line.
    private static func replaceLine(_ line: String, with replacement: String, in unit: String) throws -> String {
        var lines = unit.components(separatedBy: "\n")
        let matches = lines.indices.filter { lines[$0] == line }
        guard matches.count == 1 else { throw AdaptationError(line: line, count: matches.count) }
        lines[matches[0]] = replacement
        return lines.joined(separator: "\n")
    }

    struct AdaptationError: Error, CustomStringConvertible {
        var line: String
        var count: Int
        var description: String { "config/nightshift.service: expected one line '\(line)', found \(count)" }
    }
}
