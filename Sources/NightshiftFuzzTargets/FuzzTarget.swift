/// One fuzz target: a name (the corpus folder and the libFuzzer binary) and a body that must never crash.
///
/// Each body reads one input and asserts, with `precondition`, the invariants that are cheap to check (a parse →
/// render → parse round trip, no secret in a message). A failed precondition or a trap is a finding. The test suite
/// replays every corpus and crash file through the same bodies, so a fixed finding stays fixed.
public struct FuzzTarget: Sendable {
    /// The target's name, e.g. `json`: `fuzz/corpus/<name>/`, `.build/fuzz/bin/fuzz-<name>`.
    public let name: String
    /// What the input is, for `docs/fuzzing.md` and failure messages.
    public let feeds: String
    /// Reads one input.
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "json", feeds: "NightshiftJSON parser", run: fuzzJSON),
        FuzzTarget(name: "config-loader", feeds: "deployment YAML with interpolation", run: fuzzConfigLoader),
        FuzzTarget(name: "config-schema", feeds: "plugin schema JSON + config subtree YAML", run: fuzzConfigSchema),
        FuzzTarget(name: "event-spool", feeds: "an event spool file read back", run: fuzzEventSpool),
        FuzzTarget(name: "plugin-info", feeds: "a plugin's info block in guarded memory", run: fuzzPluginInfo),
        FuzzTarget(name: "alpaca-stream", feeds: "Alpaca stream text frames", run: fuzzAlpacaStream),
        FuzzTarget(name: "alpaca-broker", feeds: "Alpaca order replies", run: fuzzAlpacaBroker),
        FuzzTarget(name: "open-meteo", feeds: "Open-Meteo ensemble responses", run: fuzzOpenMeteo),
        FuzzTarget(name: "kalshi-markets", feeds: "Kalshi market responses", run: fuzzKalshiMarkets),
        FuzzTarget(name: "kalshi-broker", feeds: "Kalshi order replies", run: fuzzKalshiBroker),
    ]

    /// The target named `name`.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// The C entry a libFuzzer main calls: runs target `name` (a C string) on `size` bytes at `data`.
///
/// The main is a few lines of C (`fuzz/main.c`, built by `scripts/fuzz.sh` with the target's name compiled in), so it
/// needs no Swift module search paths. An unknown name stops the process: the build is wrong, not the input.
@_cdecl("nightshift_fuzz_run")
public func nightshiftFuzzRun(_ name: UnsafePointer<CChar>, _ data: UnsafePointer<UInt8>?, _ size: Int) {
    guard let target = FuzzTarget.named(String(cString: name)) else {
        fatalError("no fuzz target named '\(String(cString: name))'")
    }
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
}
