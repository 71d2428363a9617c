import Foundation
import NightshiftJSON

/// Recording entries as JSON lines and back.
///
/// Every line is one object with a `type` member (`header`, `cycle`, `cycle_end`, `http`, `open`, `frame`, `close`)
/// and `instance` and `time_ns` members (the header has `started_ns` instead). Bodies are `body_base64`; frames are
/// `text`.
extension RecordingEntry {
    /// The entry as one line of compact JSON, without the newline.
    public var jsonLine: String { json.jsonText }

    var json: JSONValue {
        switch self {
        case .header(let header):
            return .object([
                ("type", .string("header")), ("format", .string(RecordingHeader.formatName)),
                ("version", .integer(Int64(header.version))), ("deployment", .string(header.deployment)),
                ("host", .string(header.host)), ("run_id", .string(header.runID)),
                ("started_ns", .integer(header.startedAt)),
                ("instances", .array(header.instances.map { instance in
                    .object([
                        ("name", .string(instance.name)), ("plugin", .string(instance.plugin)),
                        ("kinds", .array(instance.kinds.map { .string($0) })),
                    ])
                })),
            ])
        case .cycle(let instance, let number, let time):
            return Self.cycle("cycle", instance, number, time)
        case .cycleEnd(let instance, let number, let time):
            return Self.cycle("cycle_end", instance, number, time)
        case .http(let exchange):
            var members: [(key: String, value: JSONValue)] = [
                ("type", .string("http")), ("instance", .string(exchange.instance)),
                ("cycle", .integer(Int64(exchange.cycle))), ("time_ns", .integer(exchange.time)),
                ("method", .string(exchange.method)), ("url", .string(exchange.url)),
                ("status", .integer(Int64(exchange.status))),
            ]
            if exchange.status == 0 {
                members += [("error_code", .string(exchange.errorCode)), ("error", .string(exchange.error))]
            } else {
                members += [
                    ("headers", .array(exchange.headers.map { .array([.string($0.name), .string($0.value)]) })),
                    ("body_base64", .string(Data(exchange.body).base64EncodedString())),
                ]
            }
            return .object(members)
        case .open(let instance, let link, let time):
            return Self.link("open", instance, link, time)
        case .frame(let instance, let link, let time, let text):
            guard case .object(let members) = Self.link("frame", instance, link, time) else { return .null }
            return .object(members + [("text", .string(text))])
        case .close(let instance, let link, let time):
            return Self.link("close", instance, link, time)
        }
    }

    private static func cycle(_ type: String, _ instance: String, _ number: Int, _ time: Int64) -> JSONValue {
        .object([
            ("type", .string(type)), ("instance", .string(instance)), ("cycle", .integer(Int64(number))),
            ("time_ns", .integer(time)),
        ])
    }

    private static func link(_ type: String, _ instance: String, _ link: Int, _ time: Int64) -> JSONValue {
        .object([
            ("type", .string(type)), ("instance", .string(instance)), ("link", .integer(Int64(link))),
            ("time_ns", .integer(time)),
        ])
    }

    // MARK: - Reading

    /// Parses one line; `file` and `line` only name the place in errors.
    ///
    /// - Throws: `ReplayError` (`malformed`) saying which member is missing or wrong.
    public init(jsonLine text: String, file: String, line: Int) throws(ReplayError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw ReplayError(.malformed, "not JSON: \(error)", file: file, line: line)
        }
        let reader = EntryReader(value: value, file: file, line: line)
        switch try reader.string("type") {
        case "header":
            guard try reader.string("format") == RecordingHeader.formatName else {
                throw ReplayError(.malformed, "not a \(RecordingHeader.formatName) header", file: file, line: line)
            }
            let instances = try reader.array("instances").map { item throws(ReplayError) in
                let member = EntryReader(value: item, file: file, line: line)
                return RecordingHeader.Instance(
                    name: try member.string("name"), plugin: try member.string("plugin"),
                    kinds: try member.array("kinds").compactMap(\.stringValue))
            }
            self = .header(RecordingHeader(
                version: try reader.int("version"), deployment: try reader.string("deployment"),
                host: try reader.string("host"), runID: try reader.string("run_id"),
                startedAt: try reader.int64("started_ns"), instances: instances))
        case "cycle":
            self = .cycle(instance: try reader.string("instance"), number: try reader.int("cycle"), time: try reader.int64("time_ns"))
        case "cycle_end":
            self = .cycleEnd(instance: try reader.string("instance"), number: try reader.int("cycle"), time: try reader.int64("time_ns"))
        case "http":
            self = .http(try reader.exchange())
        case "open":
            self = .open(instance: try reader.string("instance"), link: try reader.int("link"), time: try reader.int64("time_ns"))
        case "frame":
            self = .frame(
                instance: try reader.string("instance"), link: try reader.int("link"), time: try reader.int64("time_ns"),
                text: try reader.string("text"))
        case "close":
            self = .close(instance: try reader.string("instance"), link: try reader.int("link"), time: try reader.int64("time_ns"))
        case let other:
            throw ReplayError(.malformed, "unknown entry type '\(other)'", file: file, line: line)
        }
    }
}

/// Typed member access for one entry, with errors that name the member.
private struct EntryReader {
    let value: JSONValue
    let file: String
    let line: Int

    func member(_ key: String) throws(ReplayError) -> JSONValue {
        guard let member = value[key] else { throw ReplayError(.malformed, "missing '\(key)'", file: file, line: line) }
        return member
    }

    func string(_ key: String) throws(ReplayError) -> String {
        guard let text = try member(key).stringValue else {
            throw ReplayError(.malformed, "'\(key)' must be a string", file: file, line: line)
        }
        return text
    }

    func int64(_ key: String) throws(ReplayError) -> Int64 {
        guard let number = try member(key).integerValue else {
            throw ReplayError(.malformed, "'\(key)' must be an integer", file: file, line: line)
        }
        return number
    }

    func int(_ key: String) throws(ReplayError) -> Int { Int(try int64(key)) }

    func array(_ key: String) throws(ReplayError) -> [JSONValue] {
        guard case .array(let items) = try member(key) else {
            throw ReplayError(.malformed, "'\(key)' must be an array", file: file, line: line)
        }
        return items
    }

    func exchange() throws(ReplayError) -> RecordedExchange {
        var exchange = RecordedExchange(
            instance: try string("instance"), cycle: try int("cycle"), time: try int64("time_ns"),
            method: try string("method"), url: try string("url"), status: try int("status"))
        if exchange.status == 0 {
            exchange.errorCode = try string("error_code")
            exchange.error = try string("error")
            return exchange
        }
        exchange.headers = try array("headers").map { pair throws(ReplayError) in
            guard case .array(let parts) = pair, parts.count == 2, let name = parts[0].stringValue,
                let value = parts[1].stringValue
            else { throw ReplayError(.malformed, "each header must be [name, value]", file: file, line: line) }
            return RecordedHeader(name: name, value: value)
        }
        guard let body = Data(base64Encoded: try string("body_base64")) else {
            throw ReplayError(.malformed, "'body_base64' is not base64", file: file, line: line)
        }
        exchange.body = Array(body)
        return exchange
    }
}
