/// Stream links: the same plugin calls a live link makes, at the recorded times.
extension ReplayFeeder {
    mutating func open(_ name: String, at time: Int64) -> Bool {
        guard var stream = streams[name], !stream.stopped else { return true }
        guard advance(to: time) else { return false }
        if stream.isOpen { stream.driver.pluginClose() }
        // As live: describe, then on_open once the link is up (a replay's link is always up).
        let (target, described) = stream.driver.describe()
        if target == nil {
            judge(described, &stream)
        } else {
            stream.isOpen = true
            judge(stream.driver.pluginOpen(), &stream)
        }
        streams[name] = stream
        return true
    }

    mutating func frame(_ name: String, _ text: String, at time: Int64) -> Bool {
        guard var stream = streams[name], stream.isOpen else { return true }
        guard advance(to: time) else { return false }
        session.update { $0.frames += 1 }
        judge(stream.driver.pluginFrame(text), &stream)
        streams[name] = stream
        return true
    }

    mutating func close(_ name: String, at time: Int64) -> Bool {
        guard var stream = streams[name], stream.isOpen else { return true }
        guard advance(to: time) else { return false }
        stream.isOpen = false
        stream.driver.pluginClose()
        streams[name] = stream
        return true
    }

    /// Applies a stream callback's verdict as a live link would: drop the link, or stop the stream for good.
    ///
    /// A dropped link ignores the rest of its recorded frames; the recording says when the next link opened.
    private func judge(_ verdict: StreamDriver.Verdict, _ stream: inout Stream) {
        let name = stream.driver.instance.name
        switch verdict {
        case .proceed:
            return
        case .reconnect(let reason):
            if stream.isOpen { stream.driver.pluginClose() }
            stream.isOpen = false
            runtime.log.warning("stream_disconnected", name, "\(reason); the recording decides when it reconnects", [
                "reason": .string(reason),
            ])
        case .stop(let reason):
            if stream.isOpen { stream.driver.pluginClose() }
            stream.isOpen = false
            stream.stopped = true
            runtime.log.record(
                "stream_gave_up", level: .critical, instance: name, message: "stream stopped for good: \(reason)",
                fields: ["reason": .string(reason)])
            runtime.escalate("stream \(name) gave up: \(reason)")
        }
    }
}
