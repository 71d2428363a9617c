import Foundation
import NightshiftResilience

/// What each mode changes in the runtime it starts: the clock, and where HTTP requests go.
extension Runtime.Mode {
    /// The recorder, when recording.
    var recorder: Recorder? {
        if case .record(let recorder) = self { return recorder }
        return nil
    }

    /// Whether sources are fed from a recording rather than driven live.
    var isReplay: Bool {
        if case .replay = self { return true }
        return false
    }

    /// The host clock, ns since the epoch.
    var clock: @Sendable () -> Int64 {
        if case .replay(let session) = self { return { session.clock.now } }
        return { Int64(Date().timeIntervalSince1970 * 1e9) }
    }

    /// The host clock as a `Date`, for the order router's risk windows.
    var dateClock: @Sendable () -> Date {
        if case .replay(let session) = self { return { session.clock.date } }
        return { Date() }
    }

    /// The instance's HTTP service as this mode needs it.
    ///
    /// Recording: the network behind a recording transport, for every instance but brokers (a replay swaps brokers
    /// for the paper broker, and their traffic is account data). Replay: the recording instead of the network, the
    /// retry clock on simulated time, no backoff sleeps and no Retry-After waits: a retried request is answered at
    /// its recorded time, which already holds the wait.
    func adapt(_ service: HTTPService, for instance: PluginInstance) -> HTTPService {
        switch self {
        case .live:
            return service
        case .record(let recorder):
            guard !instance.plugin.info.kinds.contains(.broker) else { return service }
            return HTTPService(
                client: RecordingTransport(network: service.client, recorder: recorder, instance: instance.name),
                retry: service.retry)
        case .replay(let session):
            let transport = session.transport(for: instance.name, shutdown: service.retry.shutdown)
            var retry = service.retry
            retry.policy.baseDelay = .zero
            retry.policy.maxDelay = .zero
            retry.clock = session.clock.monotonic
            retry.shutdown = transport.cut
            var replayed = HTTPService(client: transport, retry: retry)
            replayed.honoursRetryAfter = false
            return replayed
        }
    }
}

/// A replayed stream source's end of `stream_send`: frames it sends (logins, subscriptions) go nowhere.
struct ReplayStreamSink: StreamSending {
    func send(_ frame: String) -> String? { nil }
    func emitted(_ count: Int) {}
}
