import Foundation

/// The Prometheus project's own Python client (`prometheus_client.parser`) reading an exposition, through
/// `scripts/peers/prometheus_parse.py`: a second opinion on the host's output from a parser this project did not write.
public enum ReferencePrometheusParser {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What the reference parser read.
    public struct Reading: Sendable {
        /// Family name → type. The reference parser names a counter family without its `_total` suffix.
        public var types: [String: String]
        public var samples: [PrometheusExposition.Sample]
    }

    /// Parses `text`; throws with the parser's reason when it refuses the text.
    public static func parse(_ text: String) throws -> Reading {
        // Files, not pipes, on every side: a scrape's JSON can outgrow a pipe's buffer while nobody reads it.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("scrape.txt")
        let output = scratch.appendingPathComponent("stdout"), errors = scratch.appendingPathComponent("stderr")
        try Data(text.utf8).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script = ScriptProcess.scriptsDirectory.appendingPathComponent("peers/prometheus_parse.py")
        process.arguments = ["python3", script.path, input.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "prometheus_client refused the exposition (exit \(process.terminationStatus)): \(reason)")
        }
        return try reading(Data(contentsOf: output))
    }

    /// Decodes the script's JSON.
    private static func reading(_ data: Data) throws -> Reading {
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let families = json["families"] as? [[String: Any]], let samples = json["samples"] as? [[String: Any]]
        else { throw Failure(description: "prometheus_parse.py printed something unexpected") }
        var types: [String: String] = [:]
        for family in families {
            if let name = family["name"] as? String, let type = family["type"] as? String { types[name] = type }
        }
        let read = try samples.map { sample in
            guard let name = sample["name"] as? String, let labels = sample["labels"] as? [String: String],
                let value = number(sample["value"])
            else { throw Failure(description: "a sample without a name, labels or value: \(sample)") }
            return PrometheusExposition.Sample(name: name, labels: labels, value: value)
        }
        return Reading(types: types, samples: read)
    }

    /// A JSON number, or `NaN`, `+Inf` and `-Inf` spelled as the exposition format does.
    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber: number.doubleValue
        case "NaN" as String: .nan
        case "+Inf" as String: .infinity
        case "-Inf" as String: -.infinity
        default: nil
        }
    }
}
