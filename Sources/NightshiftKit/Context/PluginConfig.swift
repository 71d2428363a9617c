import Foundation

/// An instance's configuration: the validated JSON subtree the host passes to `create`, with schema defaults filled in.
///
/// Decode it into a `Decodable` struct with ``decode(_:)`` — keys convert from the deployment file's `snake_case`
/// to Swift's `camelCase` — or read single values by dotted path (`"limits.max_qty"`, `"symbols.0"`).
public struct PluginConfig: Sendable {
    /// The configuration as JSON text.
    public let json: String

    /// Wraps configuration JSON; empty text means an empty object.
    public init(json: String) {
        self.json = json.isEmpty ? "{}" : json
    }

    /// Decodes the configuration.
    ///
    /// - Throws: ``PluginError/invalidConfig(_:file:line:)`` naming the offending key, so a bad configuration makes
    ///   the host exit with its configuration-error status.
    public func decode<T: Decodable>(
        _ type: T.Type = T.self, keyDecodingStrategy: JSONDecoder.KeyDecodingStrategy = .convertFromSnakeCase
    ) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = keyDecodingStrategy
        do {
            return try decoder.decode(type, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw PluginError(code: .invalidConfig, message: error.configMessage, context: "config")
        }
    }

    // MARK: - Single values

    /// The string at `path`, or `nil` when absent or not a string.
    public func string(_ path: String) -> String? {
        value(at: path) as? String
    }

    /// The integer at `path`, or `nil` when absent or not a whole number.
    public func int(_ path: String) -> Int? {
        guard let number = value(at: path) as? NSNumber, !isBool(number) else { return nil }
        let double = number.doubleValue
        return double.rounded() == double && abs(double) < 9e18 ? number.intValue : nil
    }

    /// The number at `path`, or `nil` when absent or not a number.
    public func double(_ path: String) -> Double? {
        guard let number = value(at: path) as? NSNumber, !isBool(number) else { return nil }
        return number.doubleValue
    }

    /// The fixed-point number at `path` (a JSON number or a decimal string).
    public func fixed(_ path: String) -> Fixed? {
        if let text = string(path) { return Fixed(text) }
        return double(path).map { Fixed($0) }
    }

    /// The boolean at `path`, or `nil` when absent or not a boolean.
    public func bool(_ path: String) -> Bool? {
        guard let number = value(at: path) as? NSNumber, isBool(number) else { return nil }
        return number.boolValue
    }

    /// The array of strings at `path`, or `nil` when absent or not all strings.
    public func strings(_ path: String) -> [String]? {
        guard let array = value(at: path) as? [Any] else { return nil }
        let strings = array.compactMap { $0 as? String }
        return strings.count == array.count ? strings : nil
    }

    /// Whether `path` names a value (`null` counts as absent).
    public func contains(_ path: String) -> Bool {
        value(at: path) != nil
    }

    private func value(at path: String) -> Any? {
        guard var node = JSONTree.parse(json) else { return nil }
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let object = node as? [String: Any], let next = object[String(component)] {
                node = next
            } else if let array = node as? [Any], let index = Int(component), array.indices.contains(index) {
                node = array[index]
            } else {
                return nil
            }
        }
        return node is NSNull ? nil : node
    }

    private func isBool(_ number: NSNumber) -> Bool {
        JSONTree.isBool(number)
    }
}

// MARK: - Messages

extension DecodingError {
    /// A one-line reason naming the configuration key in the deployment file's spelling.
    var configMessage: String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map(String.init) ?? snakeCase($0.stringValue) }.joined(separator: ".")
            return text.isEmpty ? "config" : text
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required key is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "invalid configuration: \(self)"
        }
    }
}

private func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "a boolean"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: "an integer"
    case is Double.Type, is Float.Type, is Fixed.Type: "a number"
    default: "\(type)".hasPrefix("Array") ? "an array" : ("\(type)".hasPrefix("Dictionary") ? "an object" : "\(type)")
    }
}

/// `quotesPerCycle` → `quotes_per_cycle`, undoing `.convertFromSnakeCase` for messages.
private func snakeCase(_ key: String) -> String {
    var result = ""
    for character in key {
        if character.isUppercase {
            result += "_" + character.lowercased()
        } else {
            result.append(character)
        }
    }
    return result
}
