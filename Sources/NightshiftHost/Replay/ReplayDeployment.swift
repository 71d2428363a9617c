import Foundation
import NightshiftConfig

/// The deployment as a replay runs it: the same sources and strategies, paper brokers, and a store of its own.
///
/// The rule for brokers: every instance whose plugin is a broker (and neither a source nor a strategy) becomes an
/// instance of the `paper-broker` plugin with the same name and its default config, so strategies' `route_to` still
/// reaches it, subscribed to every source the strategies routing to it subscribe to (plus the broker's own
/// subscriptions): the paper broker fills against the quotes it sees. A broker that already is `paper-broker` keeps
/// its config. `paper-broker` must be in one of the deployment's `plugin_dirs`.
///
/// Events go to an SQLite store in a directory of the replay's own (with its own spool), never to the production
/// store, and not to standard output (the replay prints progress and a summary there instead).
public enum ReplayDeployment {
    /// The plugin every broker becomes.
    public static let paperBroker = "paper-broker"

    /// Prepares `deployment` for a replay writing its events under `directory`.
    ///
    /// - Returns: the prepared deployment and the path of its event store.
    /// - Throws: `DeploymentError` listing every problem, e.g. a `paper-broker` that cannot be found.
    public static func prepare(_ deployment: Deployment, eventDirectory directory: String) throws(DeploymentError)
        -> (prepared: PreparedDeployment, eventStore: String)
    {
        let original = try PreparedDeployment.prepare(deployment)
        var replay = deployment
        replay.instances = original.instances.map { instance in
            var settings = instance.settings
            let kinds = instance.plugin.info.kinds
            guard kinds.contains(.broker), kinds.isDisjoint(with: [.strategy, .pollSource, .streamSource]) else { return settings }
            let feeding = original.instances.filter { $0.settings.routeTo == settings.name }.flatMap(\.settings.subscribe)
            for source in feeding where !settings.subscribe.contains(source) { settings.subscribe.append(source) }
            if instance.plugin.info.name != paperBroker {
                settings.plugin = .name(paperBroker)
                settings.sha256 = nil
                settings.config = .emptyMapping(at: settings.mark)
            }
            return settings
        }
        let store = (directory as NSString).appendingPathComponent("events.sqlite")
        replay.host.dataDirectory = directory
        replay.events.store = .sqlite
        replay.events.path = store
        replay.events.url = nil
        replay.events.stdout = .none
        do {
            return (try PreparedDeployment.prepare(replay), store)
        } catch {
            throw DeploymentError(problems: error.problems.map { problem in
                problem.contains(paperBroker)
                    ? "\(problem) (a replay runs every broker as \(paperBroker); put lib\(paperBroker).so in one of plugin_dirs)"
                    : problem
            })
        }
    }

    /// The default directory for a replay's events: `<data_dir>/replay-<UTC time>`, with `-2`, `-3`, … appended when
    /// a replay in the same second already took the name, so every replay gets a store of its own.
    public static func defaultEventDirectory(for deployment: Deployment, at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = (deployment.host.dataDirectory as NSString).appendingPathComponent("replay-\(formatter.string(from: date))")
        var candidate = base
        var number = 1
        while FileManager.default.fileExists(atPath: candidate) {
            number += 1
            candidate = "\(base)-\(number)"
        }
        return candidate
    }
}
