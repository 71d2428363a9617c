#if DEBUG
@testable import NightshiftConfig

/// The variables the fuzzed deployment may reference; `FUZZ_API_KEY` is sensitive by its name.
private let fuzzEnvironment = [
    "HOME": "/home/nightshift", "DATABASE_URL": "postgres://127.0.0.1/nightshift", "EMPTY": "",
    "FUZZ_API_KEY": fuzzSecret,
]

/// The sensitive value no error message may quote.
private let fuzzSecret = "fuzz-secret-7f3a9c"

/// The deployment loader (`ConfigLoader.load(bytes:…)`: YAML, interpolation, decoding) on raw bytes.
///
/// Invariants: every error has a message and a mark inside the file, and no message quotes the sensitive
/// variable's value. Relative `${file:…}` paths resolve in a directory that does not exist, so the target reads no
/// files of its own; `${credential:…}` has no directory.
func fuzzConfigLoader(_ data: UnsafeRawBufferPointer) {
    do {
        let deployment = try ConfigLoader.load(
            bytes: Array(data), file: "fuzz.yaml", directory: "/nonexistent/nightshift-fuzz",
            environment: fuzzEnvironment, credentialsDirectory: nil, hostName: "fuzz-host")
        precondition(deployment.secrets.contains(fuzzSecret), "the sensitive variable is not recorded as a secret")
    } catch {
        for problem in error.errors {
            precondition(!problem.message.isEmpty, "a config error without a message")
            precondition(!problem.message.contains(fuzzSecret), "a config error quotes a secret: \(problem.message)")
            if let mark = problem.mark {
                precondition(mark.file == "fuzz.yaml", "a config error names another file: \(mark.file)")
                precondition(mark.line >= 1 && mark.column >= 1, "a config error at \(mark.line):\(mark.column)")
            }
        }
    }
}
#else
/// Reached through `@testable import`, which only debug builds allow; a release build compiles an empty body.
func fuzzConfigLoader(_ data: UnsafeRawBufferPointer) {}
#endif
