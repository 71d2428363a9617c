import Dispatch

/// The writer thread: take batches, write them or spool them, replay the spool when the store answers.
extension EventWriter {
    // MARK: - Loop

    func run() {
        var link = StoreLink(retryInterval: configuration.retryInterval, now: .now)
        // The queue's contents are swapped out whole into `taken`, whose emptied storage becomes the next queue.
        var taken: [EventRecord] = []
        while true {
            _ = wake.wait(timeout: .now() + configuration.flushInterval.dispatchInterval)
            let (abandon, stop, flushTicket) = state.withLock { state in
                (state.abandonRequested, state.stopRequested, state.flushRequested)
            }
            if abandon { break }
            var forced = stop || flushTicket > state.withLock { $0.flushCompleted }
            if spool.hasPending, link.mayAttempt(at: .now, forced: forced) {
                if !replaySpool(&link) { forced = false }
            }
            while takeQueued(into: &taken) {
                for start in stride(from: 0, to: taken.count, by: configuration.batchSize) {
                    let end = min(start + configuration.batchSize, taken.count)
                    state.withLock { state in
                        state.held -= end - start
                        state.inFlight = end - start
                    }
                    let batch = end - start == taken.count ? taken : Array(taken[start..<end])
                    if !deliver(batch, &link, forced: forced) { forced = false }
                    state.withLock { $0.inFlight = 0 }
                }
                taken.removeAll(keepingCapacity: true)
            }
            do { try spool.syncIfDirty() } catch { reportLoudly("\(error)") }
            state.withLock { state in
                state.flushCompleted = max(state.flushCompleted, flushTicket)
                state.counters.storeAvailable = link.isAvailable
                if stop { state.stopped = true }
            }
            reportLossesIfDue()
            if stop { break }
        }
    }

    /// Moves everything queued into `taken` (which must be empty); `false` when nothing is queued.
    private func takeQueued(into taken: inout [EventRecord]) -> Bool {
        state.withLock { state in
            guard !state.queue.isEmpty else { return false }
            swap(&state.queue, &taken)
            state.held = taken.count
            return true
        }
    }

    // MARK: - Delivery

    /// Writes `batch` to the store, or to the spool while the store is away or older events wait there (keeping
    /// them in order). Returns `false` when a store attempt failed.
    private func deliver(_ batch: [EventRecord], _ link: inout StoreLink, forced: Bool) -> Bool {
        guard !spool.hasPending, link.mayAttempt(at: .now, forced: forced) else {
            spoolOrLose(batch, sync: true, reason: "store unavailable")
            return true
        }
        do {
            let inserted = try insert(batch, &link)
            state.withLock { $0.counters.written += inserted }
            noteSuccess(&link)
            return true
        } catch {
            noteFailure(error, &link)
            spoolOrLose(batch, sync: true, reason: "store unavailable")
            return false
        }
    }

    /// Replays the spool in chunks until it is empty or the store fails; returns `false` on a store failure.
    private func replaySpool(_ link: inout StoreLink) -> Bool {
        var delivered = 0
        while true {
            let chunk = spool.readPending(maxEvents: configuration.batchSize)
            if chunk.undecodable > 0 {
                recordLoss(chunk.undecodable, "\(chunk.undecodable) spool records do not decode as events")
            }
            do {
                if !chunk.events.isEmpty {
                    let inserted = try insert(chunk.events, &link)
                    state.withLock { state in
                        state.counters.written += inserted
                        state.counters.replayed += chunk.events.count
                    }
                    delivered += chunk.events.count
                    noteSuccess(&link)
                }
                try spool.markDelivered(through: chunk.end)
                if let damagedAt = chunk.damagedAt {
                    reportLoudly("spool \(spool.path) is damaged at byte \(damagedAt); dropping the rest of it")
                    try spool.discard(from: damagedAt)
                }
            } catch let error as EventStoreError where error.code == .spoolFailed {
                reportLoudly("\(error)")
                return true
            } catch {
                noteFailure(error, &link)
                do { try spool.compact() } catch { reportLoudly("\(error)") }
                return false
            }
            if chunk.events.isEmpty && chunk.undecodable == 0 { break }
        }
        if delivered > 0 { recordOwnEvent("event_store_recovered", .notice, "replayed \(delivered) spooled events", delivered) }
        return true
    }

    /// Inserts `events`, migrating first if needed. A statement the store rejects while it is otherwise healthy is
    /// retried one event at a time, so one bad event cannot hold the rest back; if every one fails the store is
    /// treated as unavailable.
    private func insert(_ events: [EventRecord], _ link: inout StoreLink) throws -> Int {
        if !link.isMigrated {
            try store.migrate()
            link.isMigrated = true
        }
        do {
            return try store.insert(events)
        } catch let error as EventStoreError where error.code == .statementFailed && events.count > 1 {
            var inserted = 0
            var rejected: [(EventRecord, EventStoreError)] = []
            for event in events {
                do { inserted += try store.insert([event]) } catch let single as EventStoreError
                    where single.code == .statementFailed { rejected.append((event, single)) }
            }
            guard rejected.count < events.count else { throw error }
            for (event, reason) in rejected {
                recordLoss(1, "the store rejected event \(event.id) (\(event.eventType)): \(reason.message)")
            }
            return inserted
        }
    }

    // MARK: - Outcomes

    private func noteSuccess(_ link: inout StoreLink) {
        if link.succeeded() {
            FileDescriptorWriter.reportToStandardError("event store available again")
        }
    }

    private func noteFailure(_ error: any Error, _ link: inout StoreLink) {
        let suspect = (error as? EventStoreError)?.code == .statementFailed
        if link.failed(at: .now, schemaSuspect: suspect) {
            FileDescriptorWriter.reportToStandardError(
                "event store unavailable (\(error)); spooling events to \(configuration.spoolPath)"
            )
            recordOwnEvent("event_store_unavailable", .error, "\(error)", nil)
        }
        state.withLock { $0.counters.storeAvailable = false }
    }

    /// Appends `events` to the spool; if that fails or the spool is full, counts them lost and says so.
    func spoolOrLose(_ events: [EventRecord], sync: Bool, reason: String) {
        let size = events.reduce(0) { $0 + Int64($1.jsonLine.utf8.count + SpoolFrame.headerSize) }
        guard spool.pendingBytes + size <= configuration.maxSpoolBytes else {
            recordLoss(events.count, "spool \(configuration.spoolPath) is full (\(configuration.maxSpoolBytes) bytes)")
            return
        }
        do {
            try spool.append(events, sync: sync)
            state.withLock { $0.counters.spooled += events.count }
        } catch {
            recordLoss(events.count, "\(reason), and the spool failed: \(error)")
        }
    }

    /// Queues one of the writer's own events, when the configuration gives it a context.
    private func recordOwnEvent(_ type: String, _ level: EventLevel, _ message: String, _ count: Int?) {
        guard let context = configuration.context else { return }
        var fields: EventFields = ["spool": .string(configuration.spoolPath)]
        if let count { fields["events"] = .int(Int64(count)) }
        enqueue(EventRecord(
            eventType: type, level: level, source: "host", instance: "event-writer",
            hostInstance: context.hostInstance, runId: context.runId, message: message, fields: fields
        ))
    }

    // MARK: - Loud failures

    /// Counts `count` lost events and reports them on stderr with `why` (at most one report a second).
    private func recordLoss(_ count: Int, _ why: String) {
        state.withLock { state in
            state.counters.lost += count
            state.lossesUnreported += count
            state.lastLossReason = why
        }
        reportLossesIfDue()
    }

    private func reportLossesIfDue() {
        let now = ContinuousClock.now
        let report = state.withLock { state -> (Int, Int, String)? in
            guard state.lossesUnreported > 0,
                  state.lastLossReport.map({ now - $0 >= .seconds(1) }) ?? true else { return nil }
            defer { state.lossesUnreported = 0; state.lastLossReport = now }
            return (state.lossesUnreported, state.counters.lost, state.lastLossReason)
        }
        if let (count, total, why) = report {
            reportLoudly("EVENTS LOST: \(count) events reached neither the store nor the spool (\(total) in total): \(why)")
        }
    }

    private func reportLoudly(_ message: String) {
        FileDescriptorWriter.reportToStandardError("event writer: \(message)")
    }
}
