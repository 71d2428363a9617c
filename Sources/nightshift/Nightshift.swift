import Foundation
import NightshiftHost

/// The `nightshift` command line: a thin layer that parses arguments and calls the host library.
@main
enum Nightshift {
    static let version = "0.1.0"

    static let commands: [Command] = [
        RunCommand.command, CheckCommand.command, PluginCommand.command, EventsCommand.command, ReportCommand.command,
        RecordCommand.command, ReplayCommand.command,
    ]

    static let overview = """
        OVERVIEW: Runs trading-bot plugins unattended and handles their failures.

        USAGE: nightshift <subcommand> [<arguments>]

        OPTIONS:
          --version   Show the version.
          -h, --help  Show help information.

        SUBCOMMANDS:
        \(Command.table(commands.map { ($0.name, $0.abstract) } + [("help", "Show help for a subcommand.")]))
          See 'nightshift help <subcommand>' for detailed help.

        EXIT CODES:
          0 clean stop, 64 usage error, 70 internal error, 75 escalated after repeated failures, 78 configuration error.
        """

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        exit(dispatch(arguments).rawValue)
    }

    static func dispatch(_ arguments: [String]) -> ExitCode {
        guard let first = arguments.first else {
            print(overview)
            return .success
        }
        switch first {
        case "-h", "--help":
            print(overview)
            return .success
        case "--version":
            print("nightshift \(version) (plugin ABI \(HostABI.major).\(HostABI.minor))")
            return .success
        case "help":
            guard arguments.count > 1 else {
                print(overview)
                return .success
            }
            guard let command = commands.first(where: { $0.name == arguments[1] }) else {
                return usageError("unknown subcommand '\(arguments[1])'")
            }
            print(command.help)
            return .success
        default:
            guard let command = commands.first(where: { $0.name == first }) else {
                return usageError("unknown subcommand '\(first)'")
            }
            let rest = Array(arguments.dropFirst())
            if rest.contains("-h") || rest.contains("--help") {
                print(command.help)
                return .success
            }
            do {
                return try command.run(rest)
            } catch let error as Arguments.UsageError {
                return usageError(error.description, help: "nightshift help \(command.name)")
            } catch {
                FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                return .software
            }
        }
    }

    /// Prints a usage error to stderr and returns exit code 64.
    static func usageError(_ message: String, help: String = "nightshift --help") -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\nSee '\(help)'.\n".utf8))
        return .usage
    }
}

/// Writes a line to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
