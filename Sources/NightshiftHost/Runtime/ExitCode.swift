/// The process exit codes Nightshift documents (sysexits.h values, so systemd and shell scripts can tell them apart).
///
/// The unit file sets `RestartPreventExitStatus=78`: a configuration error is never restarted in a loop, while an
/// escalation (75) is restarted by systemd after `RestartSec`.
public enum ExitCode: Int32, Sendable {
    /// A clean stop (SIGTERM/SIGINT, or a command that succeeded).
    case success = 0
    /// A command that ran but found something to report (e.g. `check` warnings); never used by `run`.
    case failure = 1
    /// Bad command-line usage (EX_USAGE).
    case usage = 64
    /// An internal error (EX_SOFTWARE).
    case software = 70
    /// Escalated after repeated failures (EX_TEMPFAIL): a stream gave up, a plugin exceeded its restart intensity, or
    /// a plugin call stalled. systemd restarts the process.
    case escalated = 75
    /// The configuration is invalid (EX_CONFIG): a config file, a plugin refused by the loader, a schema violation.
    case config = 78
}
