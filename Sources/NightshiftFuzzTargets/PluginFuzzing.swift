import NightshiftKit
import NightshiftKitTesting

/// Shared driving for the plugin targets: a fresh harness per input, answers made of the input, and the invariant
/// every plugin target checks.
enum PluginFuzzing {
    /// The statuses a scripted answer carries; 0 is a transport failure (no answer).
    static let statuses = [200, 200, 200, 201, 400, 401, 404, 409, 422, 429, 500, 503, 0]

    /// A harness for `type` with `config`; a plugin that refuses a fixed, valid config is a finding.
    static func harness<P: Plugin>(_ type: P.Type, config: String) -> PluginHarness {
        do {
            return try PluginHarness(type, config: config, instanceName: "fuzz")
        } catch {
            preconditionFailure("\(type) refuses its fuzz config: \(error)")
        }
    }

    /// Answers every HTTP request the plugin makes with `status` and `body`.
    static func answerAll(_ host: FakeHost, status: Int, body: [UInt8]) {
        let response =
            status == 0
            ? HTTPResponse(status: 0, transportError: "connection reset")
            : HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")], body: body)
        host.httpFallback = { _ in .response(response) }
    }

    /// Runs `body`, accepting the failures a plugin may report (a `HarnessError` is a status the host handles).
    static func tolerating(_ body: () throws -> Void) {
        do {
            try body()
        } catch is HarnessError {
        } catch {
            preconditionFailure("unexpected error: \(error)")
        }
    }

    /// The invariant of every plugin target: the plugin broke no rule of the ABI (the harness records violations
    /// such as emitting outside a call or returning malformed outputs).
    static func checkContract(_ harness: PluginHarness) {
        precondition(harness.host.violations.isEmpty, "ABI violations: \(harness.host.violations)")
    }
}
