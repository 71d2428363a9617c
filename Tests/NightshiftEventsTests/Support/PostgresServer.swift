import Foundation
import Testing
@testable import NightshiftEvents

/// The private PostgreSQL server that `scripts/with-postgres.sh` starts for the test run.
enum PostgresServer {
    struct Missing: Error, CustomStringConvertible {
        let variable: String
        var description: String {
            "\(variable) is not set: run through scripts/with-postgres.sh (make test), "
                + "e.g. scripts/with-postgres.sh swift test --filter NightshiftEventsTests"
        }
    }

    /// The server URL; throws (failing the test) when the tests were not started through the script.
    static func url() throws -> String {
        try variable("NIGHTSHIFT_TEST_PG_URL")
    }

    /// A store in a fresh schema of its own, so tests never see each other's rows.
    static func freshStore() throws -> PostgresEventStore {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return try PostgresEventStore(url: url(), configuration: .init(schema: schema, connectTimeout: 3))
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`): connections break, nothing is shut down cleanly.
    static func stopImmediately() throws {
        try pgCtl(["-D", variable("NIGHTSHIFT_TEST_PG_DATA"), "-m", "immediate", "-w", "stop"])
    }

    /// Starts the server again on the same data directory and port, waiting until it accepts connections.
    static func start() throws {
        try pgCtl(["-D", variable("NIGHTSHIFT_TEST_PG_DATA"), "-l", variable("NIGHTSHIFT_TEST_PG_LOG"), "-w",
                   "-t", "60", "start"])
    }

    private static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    /// Runs pg_ctl as the postgres user (through runuser when the tests run as root) and waits for it.
    ///
    /// Spawned directly and reaped with `waitpid` rather than through Foundation's `Process`; the server that
    /// `pg_ctl start` leaves running must inherit none of the test process's descriptors, so everything above stderr
    /// is closed in the child.
    private static func pgCtl(_ arguments: [String]) throws {
        let ctl = try variable("NIGHTSHIFT_TEST_PG_CTL")
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", ctl] + arguments : [ctl] + arguments
        // The child shell leaves "/" and closes every descriptor above stderr before running the command.
        let script = #"cd / && for fd in /proc/self/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#
            + #"exec "$@""#
        let shell = ["/bin/bash", "-c", script, "bash"] + command
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = shell.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, shell[0], &actions, nil, argv, environ)
        try #require(spawned == 0, "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        try #require(exitCode == 0, "pg_ctl \(arguments.last ?? "") failed with status \(status)")
    }
}
