/// What one run of the benchmark measures and how much: the full sizes for real figures, tiny ones for `--smoke`.
///
/// Every loop in the benchmark is bounded twice, by a count from here and by a time bound from here, so a slow or
/// wedged machine ends the run instead of hanging it.
struct BenchSettings: Sendable {
    /// Whether this is the smoke run (tiny sizes, figures meaningless, every code path exercised).
    var smoke = false
    /// The figures to measure (`P1`, `P3`, `P4`, `P5`, `P6`); empty means all of them.
    var only: Set<String> = []

    // MARK: - P1 events through the host

    /// Events per `emit` call; one host run and one direct loop per size.
    var eventBatchSizes = [1, 16, 256, 1024, 4096]
    /// Events each run aims to push through.
    var eventsPerRun = 40_000_000
    /// The longest a source may keep emitting in one run.
    var eventBurstBound: Duration = .seconds(3)
    /// Runs per batch size; the median is reported, since other work on a shared machine moves single runs a lot.
    var eventRepeats = 3

    // MARK: - P3 event-store ingest

    /// Events written through the batching writer.
    var ingestBatchedEvents = 200_000
    /// Events written one INSERT (one transaction) at a time, at most.
    var ingestSingleEvents = 20_000
    /// The longest either ingest loop may run.
    var ingestBound: Duration = .seconds(20)

    // MARK: - P4 logger cost

    /// Rounds of timed logger calls; the writer drains between rounds.
    var loggerRounds = 200
    /// Calls per round, below the writer's batch size so no round wakes it.
    var loggerCallsPerRound = 400

    // MARK: - P5 start-up

    /// Starts of `nightshift run config/demo.yaml` (the median is reported).
    var startupRuns = 5
    /// Spawns of `/bin/true` for the baseline (the median is reported).
    var trueRuns = 50
    /// How long to wait for READY before giving up on a start.
    var readyBound: Duration = .seconds(30)
    /// How long the host runs after READY before its peak memory is read.
    var settleTime: Duration = .seconds(1)

    // MARK: - P2 wire-to-strategy latency

    /// Quote frames per second the simulator sends.
    var latencyRate = 1_000.0
    /// How long each side (the Python client, then the host) receives.
    var latencySeconds = 10.0
    /// Quotes at the start of each side that are not recorded (connection set-up, first-call costs).
    var latencyWarmup = 200

    // MARK: - P6 quote decoding

    /// Quotes per JSON array (one WebSocket frame).
    var quotesPerFrame = 100
    /// Frames decoded per decoder, at most.
    var decodeFrames = 20_000
    /// The longest either decode loop may run.
    var decodeBound: Duration = .seconds(5)

    /// Whether figure `id` is to be measured.
    func measures(_ id: String) -> Bool { only.isEmpty || only.contains(id) }

    /// The smoke sizes: every path runs, in well under a minute even in a debug build.
    static var smokeSettings: BenchSettings {
        var settings = BenchSettings()
        settings.smoke = true
        settings.eventBatchSizes = [1, 64]
        settings.eventsPerRun = 2_000
        settings.eventBurstBound = .seconds(2)
        settings.eventRepeats = 1
        settings.ingestBatchedEvents = 1_000
        settings.ingestSingleEvents = 100
        settings.ingestBound = .seconds(10)
        settings.loggerRounds = 5
        settings.loggerCallsPerRound = 50
        settings.startupRuns = 1
        settings.trueRuns = 3
        settings.settleTime = .milliseconds(100)
        settings.latencyRate = 100
        settings.latencySeconds = 1
        settings.latencyWarmup = 5
        settings.quotesPerFrame = 10
        settings.decodeFrames = 20
        settings.decodeBound = .seconds(2)
        return settings
    }
}
