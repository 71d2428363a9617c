import Foundation

/// What one `nightshift run` of a deployment printed: its exit status and its events, in order.
struct StockBotRun {
    /// One JSON event line from stdout.
    struct Event {
        var type: String
        var instance: String
        var message: String
        var fields: [String: Any]

        /// A field as text (string fields, or numbers printed as they came).
        func text(_ key: String) -> String? {
            switch fields[key] {
            case let value as String: value
            case let value as NSNumber: value.stringValue
            default: nil
            }
        }

        /// A numeric field (JSON numbers, or the SDK's decimal strings).
        func number(_ key: String) -> Double? {
            switch fields[key] {
            case let value as NSNumber: value.doubleValue
            case let value as String: Double(value)
            default: nil
            }
        }
    }

    let status: Int32
    let stdout: String
    let stderr: String
    let events: [Event]

    init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        events = stdout.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                let type = object["type"] as? String
            else { return nil }
            return Event(
                type: type, instance: object["instance"] as? String ?? "", message: object["message"] as? String ?? "",
                fields: object["fields"] as? [String: Any] ?? [:])
        }
    }

    /// The events of `type`, in order.
    func all(_ type: String) -> [Event] { events.filter { $0.type == type } }

    /// How many events of `type` there were.
    func count(_ type: String) -> Int { all(type).count }

    /// The events of `type` for the order `clientOrderID`, in order.
    func all(_ type: String, order clientOrderID: String) -> [Event] {
        all(type).filter { $0.text("client_order_id") == clientOrderID }
    }

    /// The position of the first event of `type` after position `index` that satisfies `condition`.
    func index(of type: String, after index: Int = -1, where condition: (Event) -> Bool = { _ in true }) -> Int? {
        events.indices.first { $0 > index && events[$0].type == type && condition(events[$0]) }
    }

    /// The `host_stopped` event's fields, where the host reports how many events were emitted and delivered.
    var stopped: Event? { all("host_stopped").last }

    /// A short account of the run for failure messages: status, stderr and the non-`log` event types in order.
    var story: String {
        let types = events.filter { $0.type != "log" }.map { "\($0.type)(\($0.instance))" }
        return "status \(status); stderr: \(stderr.suffix(500)); events: \(types.prefix(80).joined(separator: " "))"
    }
}
