import Foundation
import NightshiftConfig
import NightshiftResilience

extension Runtime {
    /// Feeds the session's recording through the started instances in place of the monitor loop; `stop` follows.
    func replay(_ session: ReplaySession, _ started: Started) {
        var feeder = ReplayFeeder(runtime: self, session: session, started: started)
        feeder.run()
    }

    /// The settings of a running instance.
    func settings(of instance: PluginInstance) -> InstanceSettings {
        prepared.instances[Int(instance.index) - 1].settings
    }
}

/// The replay's driver: feeds every recorded entry to its source, in file order, on simulated time.
///
/// A cycle entry starts the poll source's cycle through the same `PollDriver` code as live, on the instance's
/// `ReplayPollRunner`; each of the cycle's requests waits there until the feeder reaches its recorded response.
/// Open, frame and close entries make the same `StreamDriver` plugin calls as a live link. After each entry the host
/// settles (see `ReplaySettler`), and every simulated second open orders are reconciled, as the live monitor loop
/// does every wall second. Only one thread runs plugin code at a time, so a replay is the same every time.
struct ReplayFeeder {
    struct Poll {
        let driver: PollDriver
        var scheduler: CycleScheduler
        let transport: ReplayTransport
        /// Recorded exchanges per cycle, and how many of the latest cycle's were answered.
        let recorded: [Int: Int]
        /// The latest cycle begun.
        var cycle = 0
        var answered = 0
        var answeredTotal = 0
    }

    struct Stream {
        let driver: StreamDriver
        /// Whether `on_open` was called and `on_close` is still owed.
        var isOpen = false
        /// Whether the plugin stopped the stream for good; its later entries are ignored.
        var stopped = false
    }

    let runtime: Runtime
    let session: ReplaySession
    let started: Runtime.Started
    let settler: ReplaySettler
    var polls: [String: Poll] = [:]
    var streams: [String: Stream] = [:]
    private var lastReconcile: Int64

    init(runtime: Runtime, session: ReplaySession, started: Runtime.Started) {
        self.runtime = runtime
        self.session = session
        self.started = started
        settler = ReplaySettler(bus: started.bus, router: started.router, instances: started.instances)
        lastReconcile = session.clock.now
        for instance in started.instances {
            let settings = runtime.settings(of: instance)
            if instance.plugin.pollSource != nil, let schedule = settings.schedule, let http = started.host.http[instance.name],
                let transport = http.client as? ReplayTransport,
                let scheduler = try? CycleScheduler(schedule: NightshiftResilience.Schedule(schedule), now: session.clock.date)
            {
                let driver = PollDriver(
                    instance: instance, schedule: scheduler.schedule, http: http, log: runtime.log,
                    supervisor: started.supervisor, shutdown: transport.cut)
                polls[instance.name] = Poll(
                    driver: driver, scheduler: scheduler, transport: transport,
                    recorded: session.recording.exchanges(of: instance.name).mapValues(\.count))
            }
            if instance.plugin.streamSource != nil {
                let driver = StreamDriver(
                    instance: instance, configuration: .init(policy: ReconnectPolicy(settings.reconnect)), log: runtime.log,
                    shutdown: runtime.shutdown, escalate: { [runtime] reason in runtime.escalate(reason) })
                streams[instance.name] = Stream(driver: driver)
            }
        }
    }

    /// Feeds every entry, or until the runtime stops (a signal, an escalation) or the replay diverges.
    mutating func run() {
        let timeline = session.recording.timeline
        runtime.log.info("replay_started", "host", "replaying \(timeline.count) entries from \(session.recording.file)", [
            "recording": .string(session.recording.file), "entries": .int(Int64(timeline.count)),
            "speed": .string(session.speed.description), "recording_run_id": .string(session.recording.header.runID),
        ])
        var fed = 0
        for entry in timeline {
            guard !runtime.shutdown.isTriggered, feed(entry) else { break }
            settler.settle()
            reconcileIfDue()
            fed += 1
            session.progress?.update(done: fed, total: timeline.count, time: session.clock.now)
            if let divergence = session.divergence {
                runtime.log.error("replay_diverged", "host", divergence.message, ["entry": .int(Int64(fed))])
                break
            }
        }
        finish(fed: fed, of: timeline.count)
    }

    /// Ends what the recording left running: cycles it cut short end as its shutdown ended them, open links close.
    private mutating func finish(fed: Int, of total: Int) {
        for name in polls.keys.sorted() { endCycle(of: name) }
        for (name, stream) in streams where stream.isOpen {
            stream.driver.pluginClose()
            streams[name]?.isOpen = false
        }
        settler.settle()
        session.progress?.finish()
        let emitted = started.host.emittedCount
        let prices = started.router.state.withLock { $0.lastPrices }
        let answered = polls.values.reduce(0) { $0 + $1.answeredTotal + $1.transport.answeredOutsideCycles }
        session.update { statistics in
            statistics.entriesReplayed = fed
            statistics.eventsEmitted = emitted
            statistics.lastPrices = prices
            statistics.responses = answered
            statistics.reachedTime = session.clock.now
        }
        runtime.log.info("replay_finished", "host", "replayed \(fed) of \(total) entries", [
            "entries_replayed": .int(Int64(fed)), "events_emitted": .int(Int64(emitted)), "complete": .bool(fed == total),
        ])
    }

    /// Feeds one entry; false when the runtime began stopping while the clock waited.
    private mutating func feed(_ entry: RecordingEntry) -> Bool {
        switch entry {
        case .header:
            return true
        case .cycle(let name, let number, let time):
            return beginCycle(of: name, number: number, at: time)
        case .http(let exchange):
            return answer(exchange)
        case .cycleEnd(let name, let number, let time):
            return endCycle(of: name, number: number, at: time)
        case .open(let name, _, let time):
            return open(name, at: time)
        case .frame(let name, _, let time, let text):
            return frame(name, text, at: time)
        case .close(let name, _, let time):
            return close(name, at: time)
        }
    }

    // MARK: - Time

    func advance(to time: Int64) -> Bool {
        session.clock.advance(to: time, shutdown: runtime.shutdown)
    }

    /// Reconciles open orders once per simulated second, then lets the answers settle.
    private mutating func reconcileIfDue() {
        guard session.clock.now - lastReconcile >= 1_000_000_000 else { return }
        lastReconcile = session.clock.now
        started.router.reconcile()
        settler.settle()
    }
}
