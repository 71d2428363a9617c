import Foundation
import NightshiftResilience
import Synchronization

/// Contains plugin failures: a failed or throwing call restarts the instance, within OTP-style intensity limits.
///
/// Past `max_restarts` within `within`, the supervisor escalates: the runtime stops and exits with code 75 so that
/// systemd restarts the whole process.
final class InstanceSupervisor: Sendable {
    struct Member: Sendable {
        let instance: PluginInstance
        let configJSON: String
        let intensity: RestartIntensity
    }

    private let members: Mutex<[String: Member]>
    private let log: any HostLog
    private let clock = MonotonicClock.continuous()
    private let escalate: @Sendable (String) -> Void

    init(members: [Member], log: any HostLog, escalate: @escaping @Sendable (String) -> Void) {
        self.members = Mutex(Dictionary(uniqueKeysWithValues: members.map { ($0.instance.name, $0) }))
        self.log = log
        self.escalate = escalate
    }

    /// Reports a failed plugin call. Must be called on the instance's queue or from its driver; the restart itself
    /// runs on the instance's queue after the current call returns.
    func failed(_ instance: PluginInstance, status: Int32, message: String, during call: String) {
        // One restart at a time: failures reported while a restart is pending are the same fault.
        guard !instance.awaitingRestart.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let decision: RestartDecision? = members.withLock { members in
            guard var member = members[instance.name] else { return nil }
            var intensity = member.intensity
            let decision = intensity.failure(at: clock.now())
            member = Member(instance: member.instance, configJSON: member.configJSON, intensity: intensity)
            members[instance.name] = member
            return decision
        }
        let fields: [String: HostLogValue] = [
            "call": .string(call), "status": .int(Int64(status)), "error": .string(message),
        ]
        log.error("plugin_failed", instance.name, "\(call) failed: \(message)", fields)
        guard let decision else { return }
        switch decision {
        case .restart:
            let configJSON = members.withLock { $0[instance.name]?.configJSON } ?? "{}"
            instance.queue.async { [self] in
                instance.destroyOnQueue()
                do {
                    try instance.createOnQueue(configJSON: configJSON)
                    instance.awaitingRestart.store(false, ordering: .releasing)
                    log.warning("plugin_restarted", instance.name, "instance restarted after a failed \(call)", fields)
                } catch let error as InstanceError {
                    // A restart that fails is another failure: it counts toward the intensity and may escalate.
                    instance.awaitingRestart.store(false, ordering: .releasing)
                    failed(instance, status: error.status, message: "restart failed: \(error.message)", during: "create")
                } catch {
                    instance.awaitingRestart.store(false, ordering: .releasing)
                    failed(instance, status: Status.fatal, message: "restart failed: \(error)", during: "create")
                }
            }
        case .escalate:
            log.record("plugin_escalated", level: .critical, instance: instance.name,
                       message: "restart intensity exceeded; escalating", fields: fields)
            escalate("instance \(instance.name) failed too often")
        }
    }
}
