import NightshiftHost

/// One `nightshift` subcommand: its help text and what it runs.
struct Command: Sendable {
    var name: String
    var abstract: String
    var usage: String
    /// `(option, explanation)` rows for the OPTIONS section.
    var options: [(String, String)]
    var subcommands: [(String, String)] = []
    var run: @Sendable ([String]) throws -> ExitCode

    /// Help in the swift-argument-parser layout.
    var help: String {
        var text = "OVERVIEW: \(abstract)\n\nUSAGE: \(usage)\n"
        if !subcommands.isEmpty { text += "\nSUBCOMMANDS:\n" + Command.table(subcommands) }
        text += "\nOPTIONS:\n" + Command.table(options + [("-h, --help", "Show help information.")])
        return text
    }

    static func table(_ rows: [(String, String)]) -> String {
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        return rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + $0.1 + "\n" }.joined()
    }
}
