import Foundation
import Testing

/// config/nightshift.service: checked by `systemd-analyze verify` (scripts/systemd/verify-unit.sh) and scored by
/// `systemd-analyze security` inside a sandboxed systemd.
@Suite("SystemdUnit", .serialized)
struct SystemdUnitTests {
    static let unitPath = SystemdSandbox.repositoryRoot + "/config/nightshift.service"
    static let verifier = SystemdSandbox.repositoryRoot + "/scripts/systemd/verify-unit.sh"

    @Test("nightshift.service passes systemd-analyze verify without a single diagnostic")
    func verifies() throws {
        let result = try SystemdSandbox.execute([Self.verifier, Self.unitPath])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("The verifier rejects a copy with an unknown key or a malformed value")
    func verifierCatchesMistakes() throws {
        let unit = try String(contentsOfFile: Self.unitPath, encoding: .utf8)
        let broken = [
            unit.replacingOccurrences(of: "UMask=0077", with: "UMask=0077\nRestartPreventExitStatuses=78"),
            unit.replacingOccurrences(of: "WatchdogSec=30", with: "WatchdogSec=thirty"),
        ]
        for contents in broken {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID())").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try contents.write(toFile: directory + "/nightshift.service", atomically: true, encoding: .utf8)
            #expect(contents != unit)
            #expect(try SystemdSandbox.execute([Self.verifier, directory + "/nightshift.service"]).status == 1)
        }
    }

    @Test("systemd-analyze security rates nightshift.service's exposure 2.0 or lower (OK)")
    func exposure() throws {
        let unit = try String(contentsOfFile: Self.unitPath, encoding: .utf8)
        // Only the binary differs: the score depends on the sandboxing directives, not on what runs.
        let loadable = unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/nightshift run /etc/nightshift/deployment.yaml", with: "ExecStart=/bin/true")
        #expect(loadable != unit)
        let sandbox = try SystemdSandbox.start(units: ["nightshift.service": loadable])
        defer { sandbox.stop() }

        let report = try sandbox.run("systemd-analyze", "security", "--no-pager", "nightshift.service")
        let summary = try #require(report.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let score = try #require(summary.split(separator: " ").compactMap { Double($0) }.first)
        // The figure docs/reliability.md reports.
        print("systemd-analyze security: \(summary.trimmingCharacters(in: .whitespaces))")
        #expect(score <= 2.0, "\(summary)")
    }
}
