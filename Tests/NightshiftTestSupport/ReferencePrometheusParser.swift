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
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("nightshift-scrape-\(UUID().uuidString)")
        try Data(text.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = ScriptProcess.scriptsDirectory.appendingPathComponent("peers/prometheus_parse.py")
        let result = try ProgramRun.tool("python3", [script.path, input.path])
        guard result.succeeded else {
            throw Failure(description: "prometheus_client refused the exposition (\(result))")
        }
        return try reading(Data(result.stdout.utf8))
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
