/// A small command-line parser: flags, options with values, and positionals, with errors that say what is wrong.
///
/// `--name value` and `--name=value` are both accepted; `--` ends options.
struct Arguments {
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `arguments` knowing which names are flags and which take a value.
    ///
    /// - Throws: `UsageError` for an unknown option or a missing value.
    init(_ arguments: [String], flags known: Set<String> = [], options: Set<String> = []) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if known.contains(name), inline == nil {
                flags.insert(name)
            } else if options.contains(name) {
                if let inline {
                    values[name, default: []].append(inline)
                } else if index < arguments.count {
                    values[name, default: []].append(arguments[index])
                    index += 1
                } else {
                    throw UsageError(description: "missing value for option '\(name)'")
                }
            } else {
                throw UsageError(description: "unknown option '\(name)'")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func value(_ name: String) -> String? { values[name]?.last }

    /// The single positional argument a command requires, named `what` in the error.
    func single(_ what: String) throws(UsageError) -> String {
        guard positionals.count == 1 else {
            throw UsageError(
                description: positionals.isEmpty
                    ? "missing expected argument '<\(what)>'"
                    : "unexpected argument '\(positionals[1])'")
        }
        return positionals[0]
    }
}
