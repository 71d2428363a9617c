/// A `HostLog` that adds this host's `node` to every event's fields, so a shared store shows which box did what.
struct NodeStampedLog: HostLog {
    let base: any HostLog
    let node: String

    func record(_ type: String, level: HostLogLevel, instance: String, message: String, fields: [String: HostLogValue]) {
        var stamped = fields
        stamped["node"] = .string(node)
        base.record(type, level: level, instance: instance, message: message, fields: stamped)
    }
}
