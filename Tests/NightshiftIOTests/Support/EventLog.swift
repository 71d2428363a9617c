import NightshiftIO
import Synchronization

/// Collects a WebSocket client's events in the background so a test can wait for a condition on them.
///
/// Waiting polls with a generous deadline that only guards against a hang; tests assert on the events, never on time.
final class EventLog: Sendable {
    private let state = Mutex<(events: [WebSocketEvent], ended: Bool)>(([], false))

    init(_ events: AsyncStream<WebSocketEvent>) {
        Task { [self] in
            for await event in events {
                state.withLock { $0.events.append(event) }
            }
            state.withLock { $0.ended = true }
        }
    }

    /// Everything received so far.
    var events: [WebSocketEvent] {
        state.withLock { $0.events }
    }

    /// Whether the stream has finished.
    var ended: Bool {
        state.withLock { $0.ended }
    }

    /// The text messages received so far, in order.
    var texts: [String] {
        events.compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    /// The terminal event, if one arrived.
    var terminal: WebSocketEvent? {
        events.last { event in
            switch event {
            case .closed, .failed: true
            default: false
            }
        }
    }

    /// Waits until `condition` holds for the events so far; false if it still does not after `limit`.
    func wait(
        upTo limit: Duration = .seconds(20), until condition: @Sendable ([WebSocketEvent]) -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(events) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(events)
    }

    /// Waits until the stream has finished (the service thread has torn down).
    func waitForEnd(upTo limit: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if ended { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return ended
    }
}
