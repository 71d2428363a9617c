import Foundation

/// The real `nightshift` binary as the service of the shipped unit (`ShippedUnit`), inside a sandbox of its own.
///
/// `boot` compiles the C plugins a deployment names, boots a `SystemdSandbox` with the adapted unit and installs into
/// the sandbox's private /etc what a production machine would have there: /etc/nightshift/deployment.yaml, the
/// built binary as /etc/nightshift/bin/nightshift, every plugin (C and Swift) under /etc/nightshift/plugins, and one
/// dummy file per `LoadCredential=` under /etc/nightshift/credentials. Installing them (rather than running them from
/// the checkout) keeps the test independent of where the checkout is: the sandbox hides /tmp, and the unit's
/// PrivateTmp= and ProtectHome= hide /tmp and /home from the service. `tearDown()` SIGKILLs the sandbox's systemd by
/// its PID and removes every file the test wrote.
struct SystemdHostService {
    static let unit = ShippedUnit.name
    static let pluginDirectory = "/etc/nightshift/plugins"
    static let binary = "/etc/nightshift/bin/nightshift"

    let sandbox: SystemdSandbox
    /// The C plugins, the deployment and the credentials, staged on the machine and kept visible in the sandbox.
    private let staging: CPluginBuilder

    /// Boots the sandbox for `deployment`, with the C fixtures `cPlugins` (source path relative to the repository
    /// root, library name) built and installed.
    static func boot(deployment: String, cPlugins: [(source: String, name: String)] = []) throws -> SystemdHostService {
        let staging = try CPluginBuilder()
        do {
            for plugin in cPlugins { _ = try staging.build(plugin.source, name: plugin.name) }
            let products = CLIProcess.productsDirectory
            let swiftPlugins = try FileManager.default.contentsOfDirectory(atPath: products.path).filter {
                $0.hasPrefix("lib") && $0.hasSuffix(".so")
            }
            for file in swiftPlugins + ["nightshift"] {
                try FileManager.default.copyItem(
                    at: products.appendingPathComponent(file), to: staging.directory.appendingPathComponent(file))
            }
            try deployment.write(to: staging.directory.appendingPathComponent("deployment.yaml"),
                                 atomically: true, encoding: .utf8)
            for id in try ShippedUnit.credentialIDs() {
                try "test-only \(id)\n".write(to: staging.directory.appendingPathComponent("credential-\(id)"),
                                              atomically: true, encoding: .utf8)
            }
            let units = [unit: try ShippedUnit.adapted(binary: binary)]
            let sandbox = try SystemdSandbox.start(units: units, keep: [staging.directory.path])
            let service = SystemdHostService(sandbox: sandbox, staging: staging)
            do {
                try service.install(plugins: cPlugins.map(\.name) + swiftPlugins.map { String($0.dropLast(3)) })
            } catch {
                sandbox.stop()
                throw error
            }
            return service
        } catch {
            staging.remove()
            throw error
        }
    }

    /// Copies the staged files to where the unit and the deployment expect them, inside the sandbox only.
    private func install(plugins: [String]) throws {
        let staged = staging.directory.path
        try sandbox.run("install", "-D", "-m", "0644", staged + "/deployment.yaml", ShippedUnit.deploymentPath)
        try sandbox.run("install", "-D", "-m", "0755", staged + "/nightshift", Self.binary)
        for name in plugins {
            try sandbox.run("install", "-D", "-m", "0644", "\(staged)/\(name).so", "\(Self.pluginDirectory)/\(name).so")
        }
        for id in try ShippedUnit.credentialIDs() {
            try sandbox.run("install", "-D", "-m", "0600", "\(staged)/credential-\(id)",
                            "\(ShippedUnit.credentialDirectory)/\(id)")
        }
    }

    /// Kills the sandbox (by its PID) and removes the staged files.
    func tearDown() {
        sandbox.stop()
        staging.remove()
    }

    // MARK: - Reading the service's state

    /// A property of the unit, as `systemctl show` prints it.
    func property(_ name: String) throws -> String { try sandbox.property(Self.unit, name) }

    /// Polls until the unit's property has the value (15 s at most).
    func waitFor(_ name: String, _ value: String) throws -> Bool { try sandbox.waitFor(Self.unit, name, value) }

    /// `$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS` of each run that ended, oldest first.
    func results() throws -> [String] {
        let text = (try? sandbox.run("cat", ShippedUnit.resultsFile)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The `MESSAGE`s (or with `field`, that field's values) of the journal entries matching `matches`,
    /// e.g. `["_PID=42", "NIGHTSHIFT_EVENT_TYPE=tick"]`.
    func journal(_ matches: [String], field: String? = nil) throws -> [String] {
        var arguments = ["journalctl", "--no-pager", "-o", "cat"]
        if let field { arguments.append("--output-fields=\(field)") }
        let output = try sandbox.run(arguments + matches)
        return output.split(separator: "\n").map(String.init)
    }

    /// Polls the journal until the entries matching `matches` are at least `count` (the host's entries reach
    /// journald asynchronously); returns them, or what there was at the timeout.
    func journal(_ matches: [String], field: String? = nil, atLeast count: Int) throws -> [String] {
        let deadline = Date(timeIntervalSinceNow: 15)
        var lines = try journal(matches, field: field)
        while lines.count < count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            lines = try journal(matches, field: field)
        }
        return lines
    }

    /// The events of run `runID` in the deployment's event store, read with `nightshift events query` in the sandbox.
    func storedEvents(runID: String) throws -> [[String: Any]] {
        let output = try sandbox.run([
            Self.binary, "events", "query", "--config", ShippedUnit.deploymentPath, "--json", "--limit", "100000",
        ])
        return RunCommandTests.events(output).filter { $0["run_id"] as? String == runID }
    }
}
