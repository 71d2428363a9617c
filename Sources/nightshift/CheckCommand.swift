import Foundation
import NightshiftConfig
import NightshiftHost

/// `nightshift check <config>`: loads and validates everything without starting I/O, and prints the plan.
enum CheckCommand {
    static let command = Command(
        name: "check",
        abstract: "Loads and validates a deployment without starting I/O.",
        usage: "nightshift check <config.yaml>",
        options: [],
        run: run)

    static func run(_ arguments: [String]) throws -> ExitCode {
        let path = try Arguments(arguments).single("config.yaml")
        guard let prepared = prepare(path) else { return .config }
        print(plan(prepared))
        return .success
    }

    /// Loads the deployment and its plugins, printing every problem to stderr; nil when there were any.
    static func prepare(_ path: String) -> PreparedDeployment? {
        do {
            let deployment = try ConfigLoader.load(path: path, environment: ProcessInfo.processInfo.environment)
            return try PreparedDeployment.prepare(deployment)
        } catch let errors as ConfigErrors {
            printError(errors.description)
        } catch {
            printError("\(error)")
        }
        return nil
    }

    static func plan(_ prepared: PreparedDeployment) -> String {
        let deployment = prepared.deployment
        var text = "deployment \(deployment.file): OK\n"
        text += "host: \(deployment.host.name); events: \(deployment.events.store.rawValue)\n"
        text += "metrics: \(metricsLine(deployment.metrics))\n"
        text += "leadership: \(leadershipLine(deployment.leadership))\n"
        text += "instances:\n"
        text += Command.table(prepared.instances.map { instance in
            let info = instance.plugin.info
            var wiring: [String] = [info.kinds.names.joined(separator: "+")]
            if let schedule = instance.settings.schedule { wiring.append("schedule \(schedule)") }
            if !instance.settings.subscribe.isEmpty { wiring.append("subscribes \(instance.settings.subscribe.joined(separator: ", "))") }
            if let broker = instance.settings.routeTo { wiring.append("routes to \(broker)") }
            return (instance.settings.name, "\(info.name) \(info.version) [\(wiring.joined(separator: "; "))] \(info.path)")
        })
        return text
    }

    /// Where the metrics server listens, or why there is none.
    static func metricsLine(_ settings: MetricsSettings?) -> String {
        guard let settings else { return "off (no metrics: section)" }
        guard settings.enabled else { return "off (enabled: false)" }
        let scope = settings.isLoopback ? "loopback only" : "reachable beyond this machine"
        return "http://\(settings.listen) (/metrics, /healthz, /readyz; \(scope))"
    }

    /// The lease this host competes for; the database URL is a secret and is never printed.
    static func leadershipLine(_ settings: LeadershipSettings?) -> String {
        guard let settings else { return "none (this host always leads)" }
        return "lease \"\(settings.deployment)\" as node \"\(settings.node)\", \(settings.lease.deploymentSpelling) "
            + "renewed every \(settings.renewEvery.deploymentSpelling), \(settings.standby.rawValue) standby"
    }
}
