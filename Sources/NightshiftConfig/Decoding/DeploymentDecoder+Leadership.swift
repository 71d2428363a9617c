import Foundation

/// Decoding of the optional `leadership:` section.
extension DeploymentDecoder {
    /// Decodes `leadership:`; the database URL's password joins the secrets.
    ///
    /// `deployment:` defaults to the deployment file's base name (`stock-bot.yaml` → `stock-bot`), so two boxes with
    /// the same file compete for one lease; `node:` defaults to `host.name`.
    mutating func decodeLeadership(_ node: YAMLNode, host: HostSettings) -> LeadershipSettings? {
        let allowed = ["database", "deployment", "node", "lease", "renew_every", "standby"]
        guard let reader = MappingReader(node, path: "leadership", allowed: allowed, diagnostics: &diagnostics) else {
            return nil
        }
        let fileName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var settings = LeadershipSettings(database: "", deployment: fileName, node: host.name)
        var valid = true
        if reader.required("database", &diagnostics) != nil, let url = reader.string("database", &diagnostics) {
            secrets.formUnion(Self.passwords(in: url))
            if Self.isConnectionString(url) {
                settings.database = url
            } else {
                valid = false
                diagnostics.report(
                    .invalidValue,
                    "leadership.database: expected a PostgreSQL connection string (postgres://… or key=value pairs)",
                    at: reader.value("database")?.mark)
            }
        } else {
            valid = false
        }
        for key in ["deployment", "node"] {
            guard let text = reader.string(key, &diagnostics) else { continue }
            if text.isEmpty || text.utf8.count > 200 {
                valid = false
                diagnostics.report(.invalidValue, "leadership.\(key): must be 1 to 200 characters", at: reader.value(key)?.mark)
            } else if key == "deployment" {
                settings.deployment = text
            } else {
                settings.node = text
            }
        }
        if let standby: LeadershipSettings.Standby = reader.choice("standby", &diagnostics) { settings.standby = standby }
        return decodeLeaseTiming(reader, into: &settings) && valid ? settings : nil
    }

    /// Reads `lease` and `renew_every` and checks that a renewal fits well within a lease.
    ///
    /// `renew_every` is also the leader's safety margin (it trusts a lease for `lease - renew_every`) and twice the
    /// deadline of each lease statement; at most a third of the lease, a renewal that stalls to its deadline still
    /// leaves time for a retry inside the trusted window.
    private mutating func decodeLeaseTiming(_ reader: MappingReader, into settings: inout LeadershipSettings) -> Bool {
        if let lease = reader.duration("lease", &diagnostics) {
            guard lease >= .seconds(1) else {
                diagnostics.report(.invalidValue, "leadership.lease: must be at least 1s", at: reader.value("lease")?.mark)
                return false
            }
            settings.lease = lease
        }
        settings.renewEvery = settings.lease / 3
        if let renew = reader.duration("renew_every", &diagnostics) {
            guard renew > .zero, renew <= settings.lease / 3 else {
                diagnostics.report(
                    .invalidValue,
                    "leadership.renew_every: must be above 0 and at most a third of lease "
                        + "(\(settings.lease.deploymentSpelling), so at most \((settings.lease / 3).deploymentSpelling))",
                    at: reader.value("renew_every")?.mark)
                return false
            }
            settings.renewEvery = renew
        }
        return true
    }
}
