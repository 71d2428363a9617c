import NightshiftIO
import NightshiftResilience

/// One link, from `describe` to its end: the events it delivers, the plugin's verdicts on them, and its timers.
extension StreamDriver {
    /// The state of the link being served, owned by the driver's thread.
    struct Link {
        /// The link's number; events of earlier links still arriving from their closing sockets are ignored.
        let number: Int
        let client: WebSocketClient
        let target: Target
        /// Failures in a row before this link, plus one.
        let attempt: Int
        /// Whether `on_open` was called and `on_close` is still owed.
        var isOpen = false
        /// The latest frame or pong heard while the link was not healthy yet.
        var heardBeforeHealthy: MonotonicInstant?
    }

    /// Opens link number `number` and serves it until it ends.
    ///
    /// - Returns: the supervisor's answer to the link's end, or nil when the runtime is shutting down.
    func serveLink(number: Int, _ supervisor: inout ReconnectSupervisor) -> ReconnectAction? {
        let attempt = supervisor.consecutiveFailures + 1
        supervisor.connectStarted(now: clock.now())
        let (described, verdict) = describe()
        guard let target = described else {
            if case .reconnect(let reason) = verdict { return decide(after: reason, &supervisor) }
            if case .stop(let reason) = verdict { return supervisor.fatal(reason) }
            return supervisor.fatal("describe gave no target")
        }
        inbox.discardEvents()
        let client = WebSocketClient.connect(
            to: target.url, headers: target.headers,
            configuration: .init(connectTimeout: configuration.connectTimeout, pingInterval: configuration.pingInterval))
        forward(client.events, link: number)
        var link = Link(number: number, client: client, target: target, attempt: attempt)
        while true {
            let wait = supervisor.timeUntilNextCheck(now: clock.now()).map { min($0, Self.wakeInterval) }
            switch inbox.next(timeout: wait ?? Self.wakeInterval) {
            case .stop:
                closeForShutdown(&link)
                return nil
            case .link(let owner, let event) where owner == link.number:
                if let end = handle(event, on: &link, &supervisor) { return end }
            case .overflowed(let owner) where owner == link.number:
                let bound = configuration.maxBacklogBytes
                log.warning(
                    "stream_overloaded", instance.name, "more than \(bound) bytes of frames waiting for on_frame; replacing the link",
                    ["max_backlog_bytes": .int(Int64(bound))])
                link.client.close(code: 1008, reason: "backlog")
                return end(&link, reason: "frame backlog over \(bound) bytes", &supervisor)
            case .link, .overflowed, nil:
                break
            }
            if shutdown.isTriggered {
                closeForShutdown(&link)
                return nil
            }
            if let end = checkTimers(on: &link, &supervisor) { return end }
        }
    }

    // MARK: - Events

    /// Acts on one event of the current link; returns the supervisor's answer when the link is over.
    private func handle(_ event: WebSocketEvent, on link: inout Link, _ supervisor: inout ReconnectSupervisor)
        -> ReconnectAction?
    {
        switch event {
        case .opened:
            supervisor.connected(now: clock.now())
            sender.attach(link.client)
            link.isOpen = true
            log.info(
                "stream_connected", instance.name, "connected to \(link.target.host) (attempt \(link.attempt))",
                ["url_host": .string(link.target.host), "attempt": .int(Int64(link.attempt))])
            let emitted = sender.emittedCount
            return judge(pluginOpen(), emittedBefore: emitted, on: &link, &supervisor)
        case .text(let frame):
            heard(on: &link, &supervisor)
            let emitted = sender.emittedCount
            return judge(pluginFrame(frame), emittedBefore: emitted, on: &link, &supervisor)
        case .binary, .pong:
            // The ABI hands plugins text frames only; binary frames and pongs still show the link is alive.
            heard(on: &link, &supervisor)
            return nil
        case .closed(let code, let reason):
            return end(&link, reason: reason.isEmpty ? "closed with code \(code)" : "closed with code \(code): \(reason)",
                       &supervisor)
        case .failed(let error):
            return end(&link, reason: error.description, &supervisor)
        }
    }

    /// Applies the plugin's verdict on a callback; an emit during the callback is the link's data.
    private func judge(
        _ verdict: Verdict, emittedBefore: Int, on link: inout Link, _ supervisor: inout ReconnectSupervisor
    ) -> ReconnectAction? {
        if sender.emittedCount != emittedBefore { supervisor.dataReceived(now: clock.now()) }
        switch verdict {
        case .proceed:
            return nil
        case .reconnect(let reason):
            link.client.close(code: 1000, reason: "reconnecting")
            return end(&link, reason: reason, &supervisor)
        case .stop(let reason):
            link.client.close(code: 1000, reason: "stopping")
            closePlugin(&link)
            return supervisor.fatal(reason)
        }
    }

    /// A frame or pong arrived: it refreshes the idle timer once the link is healthy, and is remembered until then.
    private func heard(on link: inout Link, _ supervisor: inout ReconnectSupervisor) {
        let now = clock.now()
        if supervisor.isHealthy {
            supervisor.dataReceived(now: now)
        } else {
            link.heardBeforeHealthy = now
        }
    }

    // MARK: - Timers

    /// Lets the supervisor's timers run; a stall closes the link and counts as a failure.
    private func checkTimers(on link: inout Link, _ supervisor: inout ReconnectSupervisor) -> ReconnectAction? {
        let now = clock.now()
        if !supervisor.isHealthy, case .connected(let since, _) = supervisor.state, now - since >= policy.healthyAfter,
            let heard = link.heardBeforeHealthy
        {
            // Up for healthyAfter: healthy, and whatever was heard meanwhile counts against the idle timer.
            supervisor.dataReceived(now: heard)
        }
        guard case .stalled(let idle) = supervisor.tick(now: now) else { return nil }
        log.warning(
            "stream_stalled", instance.name, "nothing heard for \(idle.roundedMilliseconds) ms; reconnecting",
            ["idle_ms": .int(idle.roundedMilliseconds)])
        // A half-open link may never finish its closing handshake: move on without waiting for it.
        link.client.close(code: 1000, reason: "idle timeout")
        return end(&link, reason: "stalled: nothing heard for \(idle.roundedMilliseconds) ms", &supervisor)
    }

    // MARK: - Endings

    /// The link is over: stop sending on it, tell the plugin, and ask the supervisor what next.
    private func end(_ link: inout Link, reason: String, _ supervisor: inout ReconnectSupervisor) -> ReconnectAction {
        closePlugin(&link)
        return decide(after: reason, &supervisor)
    }

    /// Reports a failure to the supervisor and logs a reconnect it orders.
    private func decide(after reason: String, _ supervisor: inout ReconnectSupervisor) -> ReconnectAction {
        let action = supervisor.disconnected(reason, now: clock.now())
            ?? .reconnect(after: policy.baseDelay, consecutive: supervisor.consecutiveFailures)
        if case .reconnect(let delay, let consecutive) = action {
            log.warning(
                "stream_disconnected", instance.name,
                "\(reason); reconnecting in \(delay.roundedMilliseconds) ms (failure \(consecutive) in a row)", [
                    "reason": .string(reason), "consecutive": .int(Int64(consecutive)),
                    "delay_ms": .int(delay.roundedMilliseconds),
                ])
        }
        return action
    }

    /// Stops sending on the link and calls `on_close` if `on_open` was called.
    private func closePlugin(_ link: inout Link) {
        sender.detach()
        guard link.isOpen else { return }
        link.isOpen = false
        pluginClose()
    }

    /// Closes the link at shutdown: the socket first, then `on_close`, then a short wait for the closing handshake.
    private func closeForShutdown(_ link: inout Link) {
        link.client.close(code: 1001, reason: "shutting down")
        closePlugin(&link)
        _ = inbox.awaitEnd(ofLink: link.number, timeout: configuration.closeGrace)
    }
}
