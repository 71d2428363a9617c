import Synchronization

/// One replay of a recording: what a `Runtime` in `.replay` mode reads, and what it leaves behind for the summary.
///
/// Create it, hand it to `Runtime(…, mode: .replay(session))`, run the runtime, then read `divergence` and
/// `statistics`. The simulated clock starts at the recording's start, so plugins' `create` already sees recorded time.
public final class ReplaySession: Sendable {
    /// Counts of what the replay fed, and the state it ended in.
    public struct Statistics: Sendable, Equatable {
        /// Recording entries fed to plugins (cycles, responses, opens, frames, closes).
        public var entriesReplayed = 0
        public var cycles = 0
        public var responses = 0
        public var frames = 0
        /// Events the sources emitted while replaying.
        public var eventsEmitted = 0
        /// The last price per symbol the sources reported (fixed point, 1e8): a trade's price, else the ask.
        public var lastPrices: [String: Int64] = [:]
        /// The recorded time the replay reached, ns since the epoch.
        public var reachedTime: Int64 = 0

        public init() {}
    }

    public let recording: Recording
    public let clock: ReplayClock
    public let speed: ReplaySpeed
    let scrubber: SecretScrubber
    let progress: ReplayProgress?
    private let transports = Mutex<[String: ReplayTransport]>([:])
    private let outcome = Mutex<(divergence: ReplayError?, statistics: Statistics)>((nil, Statistics()))

    /// - Parameters:
    ///   - secrets: the deployment's secrets, to redact replayed URLs as the recorder redacted the recorded ones.
    ///   - progress: where progress goes, if anywhere.
    public init(recording: Recording, speed: ReplaySpeed, secrets: Set<String>, progress: ReplayProgress? = nil) {
        self.recording = recording
        self.speed = speed
        scrubber = SecretScrubber(secrets: secrets)
        self.progress = progress
        clock = ReplayClock(start: recording.header.startedAt, speed: speed)
    }

    /// The first divergence from the recording, if the replay met one (it stopped there).
    public var divergence: ReplayError? { outcome.withLock { $0.divergence } }

    /// What the replay fed and where it ended; final once the runtime's `run()` has returned.
    public var statistics: Statistics { outcome.withLock { $0.statistics } }

    /// The transport answering `instance`'s requests, made on first use; `shutdown` ends its paced waits.
    func transport(for instance: String, shutdown: ShutdownSignal) -> ReplayTransport {
        transports.withLock { transports in
            if let existing = transports[instance] { return existing }
            let transport = ReplayTransport(
                instance: instance, outside: recording.exchanges(of: instance)[0] ?? [], session: self, shutdown: shutdown)
            transports[instance] = transport
            return transport
        }
    }

    /// Records a divergence; the first one is kept.
    func diverged(_ error: ReplayError) {
        outcome.withLock { if $0.divergence == nil { $0.divergence = error } }
    }

    func update(_ body: (inout Statistics) -> Void) {
        outcome.withLock { body(&$0.statistics) }
    }
}
